package kcp.net;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import kcp.core.wire.SegmentHeader;
import kcp.net.internal.Counters;
import kcp.net.internal.Demux;
import kcp.net.internal.NetContext;

/**
 * A listener's routing table and rules (spec 5.9 plus connection migration), apart from session creation: which
 * session an opened datagram goes to, when a datagram may start a session, the quiet period of closed convs, and the
 * listener's drop and migration counters.
 *
 * <p><b>Default (kcp-go).</b> Sessions are keyed by source address. A known address with the session's conv (or no
 * conv, like FEC parity) feeds the session; another conv replaces it only with sn 0. An unknown address starts a
 * session if the datagram carries data and its conv is not in its quiet period.
 *
 * <p><b>Migration mode.</b> Sessions are also keyed by conv, which is authoritative. A datagram that opened (so it
 * is authenticated: the listener refuses this mode without a cipher) and passed the replay filter, from an address
 * that is not its session's, with the conv of a live session, moves that session to the new address if its first
 * segment fits the conversation ({@link kcp.net.internal.MigrationRule}); otherwise it is dropped and counted. A conv
 * that no session has starts a session as by default.
 *
 * <p>Thread-safety: {@link #route} runs on the listener's receive path only; {@link #closed}, {@link #all} and the
 * counters may be called from any thread.
 */
final class Routes {
    /** What the listener does with a routed datagram. */
    interface Sink {
        /** Feeds {@code d} to {@code s} (budget checks, input, promotion). */
        void feed(KcpSession s, Demux d);

        /** Starts a session for {@code d} from {@code from} and registers it with {@link #add}. */
        void create(Demux d, InetSocketAddress from);
    }

    /** A closed session's conv, ignored from its address until {@code untilNanos}. */
    private record Quiet(int conv, long untilNanos) {
    }

    /**
     * At most this many addresses are quiet at once; past it the oldest entry goes early. A closed session's address
     * stays quiet for the period, so a server closing more than this many sessions per quiet period (13,107 a second
     * at the default 5 s) shortens the period for the oldest rather than growing without bound.
     */
    static final int MAX_QUIET = 65_536;

    private final boolean migration;
    private final NetContext ctx;
    private final Counters counters;
    private final long quietNanos;
    private final Map<InetSocketAddress, KcpSession> byAddress = new ConcurrentHashMap<>();
    /** Migration mode: sessions by conv (authoritative; a session may have lost its address entry to another). */
    private final Map<Integer, KcpSession> byConv;
    /**
     * Quiet addresses in the order they were made, so in the order their periods end (one period for all): expired
     * ones leave from the head, in constant time per closed session. Guarded by {@link #quietLock}.
     */
    private final LinkedHashMap<InetSocketAddress, Quiet> quiet = new LinkedHashMap<>();
    private final ReentrantLock quietLock = new ReentrantLock();
    private int maxQuiet = MAX_QUIET; // guarded by quietLock
    final LongAdder accepted = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder backlogDrops = new LongAdder();
    final LongAdder migrations = new LongAdder();
    final LongAdder forged = new LongAdder();
    final LongAdder replayed = new LongAdder();
    final LongAdder unknownConv = new LongAdder();
    final LongAdder outOfWindow = new LongAdder();

    Routes(SessionOptions options, NetContext ctx, Counters counters) {
        this.migration = options.listener().migration();
        this.ctx = ctx;
        this.counters = counters;
        this.quietNanos = options.quietPeriod().toNanos();
        this.byConv = migration ? new ConcurrentHashMap<>() : null;
    }

    /**
     * Refuses migration mode without authentication, with a message saying what to configure.
     *
     * @param options the listener's options
     * @throws IllegalArgumentException if migration is on without a cipher or without the replay filter
     */
    static void check(SessionOptions options) {
        if (!options.listener().migration()) {
            return;
        }
        if (!options.cryptoEnabled() || "none".equals(options.cipherName())) {
            throw new IllegalArgumentException("connection migration moves sessions on authenticated datagrams only: "
                    + "configure a cipher with a key (SessionOptions.Builder.cipher(\"aes\", key), or "
                    + "\"aes-128-gcm\"), not " + (options.cryptoEnabled() ? "\"none\"" : "no crypto"));
        }
        if (!options.limits().replayFilter()) {
            throw new IllegalArgumentException("connection migration needs the replay filter (a replayed datagram "
                    + "from a new address must not move a session): turn it on with replayFilter(true)");
        }
    }

    /** Routes the opened datagram {@code d} from {@code from}; drops are counted here. */
    void route(Demux d, InetSocketAddress from, Sink sink) {
        KcpSession s = byAddress.get(from);
        if (s != null) {
            if (!d.hasConv() || d.conv() == s.conv()) {
                sink.feed(s, d);
                return;
            }
            if (migration && migrate(d, from, sink)) {
                return;
            }
            if (d.sn() != 0) {
                drop(SnmpField.IN_ERRS); // another conv mid-stream: not a reconnecting client's first PUSH
                return;
            }
            s.close();
        } else if (migration && migrate(d, from, sink)) {
            return;
        }
        if (!d.hasConv() || !d.carriesData()) {
            if (migration) {
                unknownConv.increment();
            }
            // no conv (parity, OOB, short); or ACK, WASK, WINS alone: they never create a session
            drop(!d.hasConv() && d.length() < SegmentHeader.OVERHEAD ? SnmpField.KCP_IN_ERRORS : SnmpField.IN_ERRS);
            return;
        }
        if (quietNanos > 0 && isQuiet(from, d.conv())) {
            refuse(SnmpField.IN_ERRS);
            return;
        }
        sink.create(d, from);
    }

    /** Migration mode: moves the live session with {@code d}'s conv to {@code from}; false if there is none. */
    private boolean migrate(Demux d, InetSocketAddress from, Sink sink) {
        KcpSession m = d.hasConv() ? byConv.get(d.conv()) : null;
        if (m == null || !m.isOpen()) {
            return false;
        }
        if (!m.continues(d)) {
            outOfWindow.increment();
            drop(SnmpField.IN_ERRS);
            return true;
        }
        InetSocketAddress old = m.remoteAddress();
        m.moveTo(from);
        byAddress.remove(old, m);
        byAddress.put(from, m);
        if (!m.isOpen()) {
            byAddress.remove(from, m); // closed meanwhile: its close may have looked up the old address
        }
        migrations.increment();
        sink.feed(m, d);
        return true;
    }

    /**
     * Counts a datagram that did not open, in migration mode, if its sender is bound to no session.
     *
     * @param refusal {@link Demux#refusal()}
     */
    void notOpened(int refusal, InetSocketAddress from) {
        if (migration && !byAddress.containsKey(from)) {
            (refusal == Demux.REPLAYED ? replayed : forged).increment();
        }
    }

    /** Registers a new session at {@code from}. */
    void add(InetSocketAddress from, KcpSession s) {
        byAddress.put(from, s);
        if (migration) {
            byConv.put(s.conv(), s);
        }
        accepted.increment();
    }

    /** Forgets a closed session; with {@code quietToo}, ignores its conv from its address for the quiet period. */
    void closed(KcpSession s, boolean quietToo) {
        InetSocketAddress remote = s.remoteAddress();
        boolean removed = byAddress.remove(remote, s);
        if (migration) {
            removed |= byConv.remove(s.conv(), s);
        }
        if (removed && quietToo && quietNanos > 0) {
            long now = ctx.nanoTime();
            quietLock.lock();
            try {
                Iterator<Quiet> oldest = quiet.values().iterator();
                while (oldest.hasNext()) {
                    Quiet head = oldest.next();
                    if (now - head.untilNanos < 0 && quiet.size() < maxQuiet) {
                        break;
                    }
                    oldest.remove();
                }
                quiet.remove(remote); // so that a second close of one address goes to the back
                quiet.put(remote, new Quiet(s.conv(), now + quietNanos));
            } finally {
                quietLock.unlock();
            }
        }
    }

    /** Whether {@code conv} from {@code from} is in its quiet period; forgets a quiet entry that is not. */
    private boolean isQuiet(InetSocketAddress from, int conv) {
        quietLock.lock();
        try {
            Quiet q = quiet.get(from);
            if (q == null) {
                return false;
            }
            if (ctx.nanoTime() - q.untilNanos < 0 && q.conv == conv) {
                return true;
            }
            quiet.remove(from);
            return false;
        } finally {
            quietLock.unlock();
        }
    }

    /** {@return how many addresses are in their quiet period, or were and have not been swept yet} */
    int quietCount() {
        quietLock.lock();
        try {
            return quiet.size();
        } finally {
            quietLock.unlock();
        }
    }

    /** Lowers the bound on quiet addresses from {@link #MAX_QUIET}, so that tests can reach it. */
    void limitQuiet(int max) {
        quietLock.lock();
        try {
            maxQuiet = max;
        } finally {
            quietLock.unlock();
        }
    }

    /** {@return every session routed now} */
    Collection<KcpSession> all() {
        return migration ? byConv.values() : byAddress.values();
    }

    int size() {
        return migration ? byConv.size() : byAddress.size();
    }

    void clear() {
        byAddress.clear();
        if (migration) {
            byConv.clear();
        }
        quietLock.lock();
        try {
            quiet.clear();
        } finally {
            quietLock.unlock();
        }
    }

    /** Counts a datagram that reached no session. */
    void drop(SnmpField field) {
        counters.increment(field);
        dropped.increment();
    }

    /** Counts a datagram that would have opened a session but did not. */
    void refuse(SnmpField field) {
        refused.increment();
        drop(field);
    }
}
