package kcp.core;

import java.util.Objects;

import kcp.core.internal.AckList;
import kcp.core.internal.ReceiveWindow;
import kcp.core.internal.Segment;
import kcp.core.internal.SegmentPool;
import kcp.core.internal.SegmentQueue;
import kcp.core.internal.Seq;
import kcp.core.wire.SegmentHeader;

/**
 * The KCP ARQ state machine as kcp-go v5.6.72 runs it ({@code kcp.go}; field names follow {@code ikcp.c},
 * camelCased). Wire-compatible with kcp-go (any version) and ikcp.
 *
 * <p><b>Thread-safety:</b> none. A {@code Kcp} is single-threaded: exactly one thread (or one lock holder) may call
 * its methods at a time, and the output callback runs on that thread.
 *
 * <p><b>Time:</b> every method that needs the time takes {@code nowMs}, a 32-bit wrapping millisecond clock chosen
 * by the caller (any monotonic ms counter truncated to {@code int}). The core never reads a clock. All sn and ts
 * ordering goes through {@link Seq#diff}, so both may wrap at 2^32.
 *
 * <p><b>Buffers:</b> {@link #send} and {@link #input} copy what they keep; the caller owns its arrays again when they
 * return. {@link KcpOutput#output} receives the Kcp's own flush buffer ({@code (mtu + 24) * 3} bytes, as ikcp) and
 * must copy the datagram before returning.
 *
 * <p><b>Driving:</b> kcp-go style: call {@link #flush flush(false, now)} again after the number of ms it returns,
 * and after {@link #send}; or ikcp style: {@link #update} at the time {@link #check} returns. While
 * {@link #isIdle()} is true a driver may stop flushing altogether until it next calls {@link #send}, {@link #input},
 * {@link #recv} or a knob, then ask again (this is how the kcp.net updater lets idle sessions cost nothing).
 *
 * <p><b>Allocation:</b> segments come from a per-instance pool, the queues are ring buffers and the ack list is an
 * {@code int[]}; after warm-up, send/input/flush/recv allocate nothing. {@link #trim()} gives the cached memory
 * (free segments, the flush buffer, grown queue arrays) back to the garbage collector while the Kcp is idle; the
 * next busy period warms up again.
 *
 * <p><b>Differences from kcp-go</b> (none changes a byte on the wire): the dead-link state is observable
 * ({@link #isDeadLink()}); a receive window that reopens after having been advertised as 0 is announced with WINS at
 * the next flush, and {@link #check} / {@link #isWindowUpdatePending()} report that flush as due at once; stream mode
 * has no 255-segment limit per {@link #send} call; {@link #setCompat561} selects kcp-go 5.6.1 timing.
 */
public final class Kcp {
    /** ikcp: IKCP_RTO_NDL. Minimum RTO with nodelay. */
    public static final int RTO_NDL = 30;
    /** ikcp: IKCP_RTO_MIN. Minimum RTO without nodelay. */
    public static final int RTO_MIN = 100;
    /** ikcp: IKCP_RTO_DEF. Initial RTO. */
    public static final int RTO_DEF = 200;
    /** ikcp: IKCP_RTO_MAX. Maximum RTO. */
    public static final int RTO_MAX = 60000;
    /** ikcp: IKCP_WND_SND. Default send window in segments. */
    public static final int WND_SND = 32;
    /** kcp-go: IKCP_WND_RCV (ikcp: 128). Default receive window and initial rmt_wnd; must be &gt;= fragments. */
    public static final int WND_RCV = 32;
    /** Default MTU in bytes, datagram size including the 24-byte segment header (ikcp IKCP_MTU_DEF). */
    public static final int MTU_DEF = 1400;
    /** ikcp: IKCP_INTERVAL. Default flush interval in ms. */
    public static final int INTERVAL = 100;
    /** ikcp: IKCP_OVERHEAD. Segment header length. */
    public static final int OVERHEAD = SegmentHeader.OVERHEAD;
    /** ikcp: IKCP_DEADLINK. Transmissions of one segment after which the link counts as dead. */
    public static final int DEADLINK = 20;
    /** Initial slow-start threshold in segments (ikcp IKCP_THRESH_INIT). */
    public static final int THRESH_INIT = 2;
    /** Lowest slow-start threshold in segments after a loss (ikcp IKCP_THRESH_MIN). */
    public static final int THRESH_MIN = 2;
    /** kcp-go v5.6.43+: IKCP_PROBE_INIT. First window-probe delay in ms. */
    public static final int PROBE_INIT = 500;
    /** kcp-go 5.6.1 / ikcp 1.7: IKCP_PROBE_INIT. */
    public static final int PROBE_INIT_561 = 7000;
    /** ikcp: IKCP_PROBE_LIMIT. Maximum window-probe delay in ms. */
    public static final int PROBE_LIMIT = 120000;
    /** kcp-go: largest fragment count of one message (frg is a u8). */
    public static final int MAX_FRAGMENTS = 255;
    /** kcp-go v5.6.72 SetMtu: smallest accepted MTU (mss 1). */
    public static final int MTU_MIN = OVERHEAD + 1;

    private static final int ASK_SEND = 1; // ikcp: IKCP_ASK_SEND, send WASK
    private static final int ASK_TELL = 2; // ikcp: IKCP_ASK_TELL, send WINS
    private static final int FASTACK_DISABLED = 0xFFFFFFFF; // kcp-go v5.6.27+: no fast/early retransmit until RTO

    private final int conv;
    private final KcpOutput output;
    /** Segment trace, null (the default) for none: one null check per segment. */
    private KcpTrace trace;

    /** ikcp: mtu. Maximum datagram size. */
    private int mtu = MTU_DEF;
    /** ikcp: mss. mtu - 24: maximum payload per segment. */
    private int mss = MTU_DEF - OVERHEAD;
    /** ikcp: state. 0, or -1 (0xFFFFFFFF) once a segment reached dead_link transmissions. */
    private int state;
    /** ikcp: snd_una. First unacknowledged sn. */
    private int sndUna;
    /** ikcp: snd_nxt. Next sn to assign. */
    private int sndNxt;
    /** ikcp: rcv_nxt. Next sn expected in order. */
    private int rcvNxt;
    /** ikcp: ssthresh (u32). Slow-start threshold. */
    private int ssthresh = THRESH_INIT;
    /** ikcp: rx_rttval (kcp-go rx_rttvar). RTT variation, signed. */
    private int rxRttvar;
    /** ikcp: rx_srtt. Smoothed RTT, signed. */
    private int rxSrtt;
    /** ikcp: rx_rto. Current RTO in ms. */
    private int rxRto = RTO_DEF;
    /** ikcp: rx_minrto. */
    private int rxMinrto = RTO_MIN;
    /** ikcp: snd_wnd. Send window in segments. */
    private int sndWnd = WND_SND;
    /** ikcp: rcv_wnd. Receive window in segments. */
    private int rcvWnd = WND_RCV;
    /** ikcp: rmt_wnd (u32). The peer's last advertised free window. */
    private int rmtWnd = WND_RCV;
    /** ikcp: cwnd (u32). Congestion window in segments. */
    private int cwnd;
    /** ikcp: probe. ASK_SEND / ASK_TELL flags for the next flush. */
    private int probe;
    /** ikcp: interval. Flush interval in ms. */
    private int interval = INTERVAL;
    /** ikcp: ts_flush. Next flush time for {@link #update}. */
    private int tsFlush = INTERVAL;
    /** ikcp: nodelay. */
    private int nodelay;
    /** ikcp: updated. Whether {@link #update} ran once. */
    private boolean updated;
    /** ikcp: ts_probe. Time of the next window probe. */
    private int tsProbe;
    /** ikcp: probe_wait. Current window-probe delay. */
    private int probeWait;
    /** ikcp: dead_link (u32). */
    private int deadLink = DEADLINK;
    /** ikcp: incr (u32). Congestion-avoidance byte counter. */
    private int incr;
    /** ikcp: fastresend. Duplicate-ACK threshold; 0 or negative disables fast retransmit. */
    private int fastresend;
    /** ikcp: nocwnd. Ignore cwnd. */
    private boolean nocwnd;
    /** ikcp: stream. Stream mode. */
    private boolean stream;
    /** kcp-go 5.6.1 timing (see {@link #setCompat561(boolean)}). */
    private boolean compat561;
    /** The last segment put on the wire advertised a zero receive window. */
    private boolean zeroWindowAdvertised;
    /** The window reopened after a zero advertisement; the next flush must carry WINS. */
    private boolean windowUpdatePending;

    // What lets a full flush skip the in-flight segments that have nothing due (flushData). Not in kcp-go, whose
    // flush visits every segment of snd_buf each time: O(window) per write, thousands of segments with large windows.
    /** Segments at the tail of snd_buf moved there from snd_queue and not transmitted yet (xmit == 0). */
    private int unsentTail;
    /** Some in-flight segment may have a non-zero duplicate-ACK count (fast or early retransmit possible). */
    private boolean fastackPending;
    /** {@link #earliestResend} holds a bound. */
    private boolean resendBound;
    /** No transmitted, unacknowledged segment has a resend time before this (a lower bound, may be stale). */
    private int earliestResend;
    /** Test hook: flush visits every segment, as kcp-go does. */
    private boolean visitAll;
    /** Segments flushes did not visit (diagnostics for tests). */
    private long skippedVisits;

    private final SegmentPool pool = new SegmentPool();
    /** ikcp: snd_queue. Segments not yet in flight. */
    private final SegmentQueue sndQueue = new SegmentQueue(SegmentQueue.MIN_CAPACITY);
    /** ikcp: snd_buf. In-flight segments with consecutive sn starting at snd_una (acked ones as tombstones). */
    private final SegmentQueue sndBuf = new SegmentQueue(SegmentQueue.MIN_CAPACITY);
    /** ikcp: rcv_queue. In-order segments ready for {@link #recv}. */
    private final SegmentQueue rcvQueue = new SegmentQueue(SegmentQueue.MIN_CAPACITY);
    /** ikcp: rcv_buf. Out-of-order segments. */
    private final ReceiveWindow rcvBuf = new ReceiveWindow(WND_RCV);
    /** ikcp: acklist. */
    private final AckList ackList = new AckList();
    /** ikcp: buffer. Flush buffer handed to the output callback; allocated by a flush, dropped by {@link #trim}. */
    private byte[] buffer;

    private long inSegs;
    private long outSegs;
    private long retransSegs;
    private long fastRetransSegs;
    private long earlyRetransSegs;
    private long lostSegs;
    private long repeatSegs;

    /**
     * Creates a KCP endpoint with kcp-go's defaults: mtu 1400, snd/rcv window 32/32, interval 100 ms, RTO 200 ms
     * (min 100), no nodelay, fast resend off, congestion control on, message mode, dead link at 20 transmissions.
     *
     * @param conv   conversation id; both peers must use the same
     * @param output receives every datagram; must copy it before returning
     */
    public Kcp(int conv, KcpOutput output) {
        this.conv = conv;
        this.output = Objects.requireNonNull(output, "output");
    }

    // ------------------------------------------------------------------ user side: send / recv

    /**
     * Queues {@code src[off, off+len)} for sending (kcp-go {@code Send}). Message mode splits it into at most
     * {@value #MAX_FRAGMENTS} segments that the peer reassembles into one message (the peer's rcv_wnd must be at
     * least the fragment count). Stream mode first fills the last queued segment and has no fragment limit.
     * Nothing is transmitted before the next flush. Copies the bytes.
     *
     * @param src bytes to send
     * @param off offset of the first byte
     * @param len number of bytes, at least 1
     * @throws IllegalArgumentException if {@code len <= 0}, or a message needs more than 255 fragments
     */
    public void send(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (len <= 0) {
            throw new IllegalArgumentException("send len <= 0: " + len + " (KCP cannot carry empty messages)");
        }
        int total = len;
        if (stream) {
            Segment last = sndQueue.peekLast();
            if (last != null && last.len < mss) {
                int extend = Math.min(mss - last.len, len);
                ensureData(last, last.len + extend);
                System.arraycopy(src, off, last.data, last.len, extend);
                last.len += extend;
                off += extend;
                len -= extend;
                if (len == 0) {
                    if (trace != null) {
                        trace.send(conv, total, 0);
                    }
                    return;
                }
            }
        }
        int count = len <= mss ? 1 : (len + mss - 1) / mss;
        if (!stream && count > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("message of " + len + " bytes needs " + count + " fragments of mss "
                    + mss + ", more than " + MAX_FRAGMENTS + ": split it or use stream mode");
        }
        if (trace != null) {
            trace.send(conv, total, count);
        }
        for (int i = 0; i < count; i++) {
            int size = Math.min(len, mss);
            Segment seg = pool.take(mss);
            System.arraycopy(src, off, seg.data, 0, size);
            seg.len = size;
            seg.frg = stream ? 0 : count - i - 1;
            sndQueue.addLast(seg);
            off += size;
            len -= size;
        }
    }

    private static void ensureData(Segment seg, int capacity) {
        if (seg.data.length < capacity) {
            seg.data = java.util.Arrays.copyOf(seg.data, capacity);
        }
    }

    /**
     * Size of the next complete message in the receive queue (kcp-go {@code PeekSize}), or -1 if none is complete.
     * A fragment chain without a terminating {@code frg == 0} inside the queue counts as incomplete.
     *
     * @return the message size in bytes, or -1
     */
    public int peekSize() {
        Segment first = rcvQueue.peekFirst();
        if (first == null) {
            return -1;
        }
        if (first.frg == 0) {
            return first.len;
        }
        if (rcvQueue.size() < first.frg + 1) {
            return -1;
        }
        int length = 0;
        for (int i = 0, n = rcvQueue.size(); i < n; i++) {
            Segment seg = rcvQueue.get(i);
            length += seg.len;
            if (seg.frg == 0) {
                return length;
            }
        }
        return -1;
    }

    /**
     * Copies the next complete message (stream mode: the next segment) into {@code dst[off, off+len)} (kcp-go
     * {@code Recv}).
     *
     * @param dst destination array
     * @param off where the message starts in {@code dst}
     * @param len room in {@code dst} from {@code off}
     * @return bytes copied; -1 if no complete message is queued; -2 if {@code len} is smaller than
     *         {@link #peekSize()} (nothing is consumed then)
     */
    public int recv(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int peek = peekSize();
        if (peek < 0) {
            return -1;
        }
        if (peek > len) {
            return -2;
        }
        boolean fastRecover = rcvQueue.size() >= rcvWnd;
        int n = 0;
        int fragments = 0;
        while (true) {
            Segment seg = rcvQueue.pollFirst();
            System.arraycopy(seg.data, 0, dst, off + n, seg.len);
            n += seg.len;
            fragments++;
            int frg = seg.frg;
            int sn = seg.sn;
            pool.release(seg);
            if (frg == 0) {
                if (trace != null) {
                    trace.recv(conv, n, fragments, sn);
                }
                break;
            }
        }
        moveReceived();
        if (rcvQueue.size() < rcvWnd && fastRecover) {
            probe |= ASK_TELL; // kcp-go "fast recover": tell the peer our window at the next flush
        }
        noteWindowReopened();
        return n;
    }

    /** Improvement over kcp-go: announce a reopened window at once instead of waiting for the peer's probe. */
    private void noteWindowReopened() {
        if (zeroWindowAdvertised && wndUnused() > 0) {
            probe |= ASK_TELL;
            windowUpdatePending = true;
        }
    }

    /** Moves in-order segments from rcv_buf to rcv_queue while the queue has room. */
    private void moveReceived() {
        while (rcvQueue.size() < rcvWnd) {
            Segment seg = rcvBuf.remove(rcvNxt);
            if (seg == null) {
                return;
            }
            rcvQueue.addLast(seg);
            rcvNxt++;
        }
    }

    // ------------------------------------------------------------------ input

    /**
     * Processes one received datagram of concatenated segments (kcp-go {@code kcp.go Input}). Malformed input
     * never throws: the first bad segment ends processing with an error code and the segments before it stay
     * applied. On success the RTT estimate, the congestion window and the immediate flushes of kcp-go v5.6.72 follow
     * (full flush when una slid or a fast-ack threshold was reached; ACK-only flush when at least mtu/24 ACKs are
     * pending or {@code ackNoDelay} is set). Copies what it keeps.
     *
     * @param data       the datagram's array
     * @param off        offset of the datagram (its first segment header)
     * @param len        datagram length in bytes
     * @param regular    false for packets recovered by FEC: they update neither rmt_wnd, nor the RTT, nor
     *                   RepeatSegs
     * @param ackNoDelay flush pending ACKs at once
     * @param nowMs      current time
     * @return {@link InputResult#OK}, or why parsing stopped
     */
    public InputResult input(byte[] data, int off, int len, boolean regular, boolean ackNoDelay, int nowMs) {
        Objects.checkFromIndexSize(off, len, data.length);
        int prevUna = sndUna;
        if (len < OVERHEAD) {
            return InputResult.TOO_SHORT;
        }
        int latestTs = 0;
        boolean sawAck = false;
        boolean flushFull = false;
        long segs = 0;
        int pos = off;
        int end = off + len;
        while (end - pos >= OVERHEAD) {
            if (SegmentHeader.conv(data, pos) != conv) {
                return InputResult.CONV_MISMATCH;
            }
            int cmd = SegmentHeader.cmd(data, pos);
            int frg = SegmentHeader.frg(data, pos);
            int wnd = SegmentHeader.wnd(data, pos);
            int ts = SegmentHeader.ts(data, pos);
            int sn = SegmentHeader.sn(data, pos);
            int una = SegmentHeader.una(data, pos);
            int length = SegmentHeader.len(data, pos);
            pos += OVERHEAD;
            if (Integer.compareUnsigned(length, end - pos) > 0) {
                return InputResult.BAD_LENGTH;
            }
            if (!SegmentHeader.isValidCmd(cmd)) {
                return InputResult.BAD_CMD;
            }
            if (trace != null) {
                trace.segmentIn(conv, cmd, frg, wnd, ts, sn, una, length);
            }
            if (regular) {
                rmtWnd = wnd; // only trust window updates from real packets
            }
            if (parseUna(una) > 0) {
                flushFull = true;
            }
            shrinkBuf();
            switch (cmd) {
                case SegmentHeader.CMD_ACK -> {
                    parseAck(sn);
                    if (parseFastack(sn, ts) && !compat561) {
                        flushFull = true;
                    }
                    sawAck = true;
                    latestTs = ts;
                }
                case SegmentHeader.CMD_PUSH -> {
                    boolean repeat = true;
                    if (Seq.diff(sn, rcvNxt + rcvWnd) < 0) {
                        ackList.add(sn, ts);
                        if (Seq.diff(sn, rcvNxt) >= 0) {
                            repeat = parseData(sn, frg, ts, data, pos, length);
                        }
                    }
                    if (regular && repeat) {
                        repeatSegs++;
                    }
                }
                case SegmentHeader.CMD_WASK -> probe |= ASK_TELL;
                default -> {
                    // WINS: rmt_wnd was already taken from the header
                }
            }
            segs++;
            pos += length;
        }
        inSegs += segs;
        if (sawAck && regular) {
            int rtt = Seq.diff(nowMs, latestTs);
            if (rtt >= 0) {
                updateAck(rtt);
            }
        }
        if (!nocwnd && Seq.diff(sndUna, prevUna) > 0) {
            growCwnd();
        }
        if (flushFull) {
            flush(false, nowMs);
        } else if (!compat561 && ackList.size() >= mtu / OVERHEAD) {
            flush(true, nowMs); // kcp-go v5.6.29+ "ACK clocking"
        } else if (ackNoDelay && ackList.size() > 0) {
            flush(true, nowMs);
        }
        return InputResult.OK;
    }

    /** kcp-go parse_una: drops every segment below una from snd_buf; returns how many. */
    private int parseUna(int una) {
        int count = 0;
        while (!sndBuf.isEmpty() && Seq.diff(una, sndBuf.peekFirst().sn) > 0) {
            pool.release(sndBuf.pollFirst());
            count++;
        }
        return count;
    }

    /** kcp-go shrink_buf. */
    private void shrinkBuf() {
        Segment first = sndBuf.peekFirst();
        sndUna = first != null ? first.sn : sndNxt;
    }

    /** kcp-go parse_ack: marks the segment acked (tombstone). snd_buf holds consecutive sn, so it is indexed. */
    private void parseAck(int sn) {
        if (Seq.diff(sn, sndUna) < 0 || Seq.diff(sn, sndNxt) >= 0) {
            return;
        }
        Segment first = sndBuf.peekFirst();
        if (first == null) {
            return;
        }
        int idx = Seq.diff(sn, first.sn);
        if (idx >= 0 && idx < sndBuf.size()) {
            sndBuf.get(idx).acked = true;
        }
    }

    /**
     * kcp-go parse_fastack (conservative): counts a duplicate ACK for every earlier segment sent no later than the
     * acknowledged one. Returns true if some counter reached fastresend (unsigned compare, as kcp-go v5.6.72).
     */
    private boolean parseFastack(int sn, int ts) {
        if (Seq.diff(sn, sndUna) < 0 || Seq.diff(sn, sndNxt) >= 0) {
            return false;
        }
        boolean reached = false;
        for (int i = 0, n = sndBuf.size(); i < n; i++) {
            Segment seg = sndBuf.get(i);
            if (Seq.diff(sn, seg.sn) < 0) {
                break;
            }
            if (sn != seg.sn && Seq.diff(seg.ts, ts) <= 0) {
                if (!compat561 && seg.fastack == FASTACK_DISABLED) {
                    continue;
                }
                seg.fastack++;
                fastackPending = true;
                if (Integer.compareUnsigned(seg.fastack, fastresend) >= 0) {
                    reached = true;
                }
            }
        }
        return reached;
    }

    /** kcp-go parse_data: stores a new in-window segment; returns "repeat" (duplicate or out of window). */
    private boolean parseData(int sn, int frg, int ts, byte[] data, int off, int length) {
        if (Seq.diff(sn, rcvNxt + rcvWnd) >= 0 || Seq.diff(sn, rcvNxt) < 0) {
            return true;
        }
        boolean repeat = rcvBuf.get(sn) != null;
        if (!repeat) {
            Segment seg = pool.take(Math.max(mss, length));
            seg.cmd = SegmentHeader.CMD_PUSH;
            seg.sn = sn;
            seg.frg = frg;
            seg.ts = ts;
            seg.len = length;
            System.arraycopy(data, off, seg.data, 0, length);
            rcvBuf.put(seg);
        }
        moveReceived();
        return repeat;
    }

    /** kcp-go update_ack: RFC 6298 estimator with shift arithmetic and the reduced-weight branch. */
    private void updateAck(int rtt) {
        if (rxSrtt == 0) {
            rxSrtt = rtt;
            rxRttvar = rtt >> 1;
        } else {
            int delta = rtt - rxSrtt;
            rxSrtt += delta >> 3;
            if (delta < 0) {
                delta = -delta;
            }
            if (rtt < rxSrtt - rxRttvar) {
                rxRttvar += (delta - rxRttvar) >> 5; // sample below the expected range: 8x reduced weight
            } else {
                rxRttvar += (delta - rxRttvar) >> 2;
            }
        }
        int rto = rxSrtt + umax(interval, rxRttvar << 2);
        rxRto = umin(umax(rxMinrto, rto), RTO_MAX);
    }

    /** Congestion window growth on ACK (kcp-go {@code kcp.go Input}, after the ACKs), u32 semantics. */
    private void growCwnd() {
        if (Integer.compareUnsigned(cwnd, rmtWnd) >= 0) {
            return;
        }
        if (Integer.compareUnsigned(cwnd, ssthresh) < 0) {
            cwnd++;
            incr += mss;
        } else {
            if (Integer.compareUnsigned(incr, mss) < 0) {
                incr = mss;
            }
            incr += Integer.divideUnsigned(mss * mss, incr) + (mss >>> 4);
            if (Integer.compareUnsigned((cwnd + 1) * mss, incr) <= 0) {
                cwnd = Integer.divideUnsigned(incr + mss - 1, mss);
            }
        }
        if (Integer.compareUnsigned(cwnd, rmtWnd) > 0) {
            cwnd = rmtWnd;
            incr = rmtWnd * mss;
        }
    }

    private static int umin(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static int umax(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private int wndUnused() {
        int n = rcvQueue.size();
        return n < rcvWnd ? rcvWnd - n : 0;
    }

    // ------------------------------------------------------------------ flush

    /**
     * Builds and emits datagrams (kcp-go v5.6.72 {@code kcp.go flush}): pending ACKs (with the bufferbloat
     * filter), window probes, moving queued segments into the window, then (full flush only) first transmissions and
     * fast / early / RTO retransmissions, and the congestion-window update.
     *
     * @param ackOnly kcp-go IKCP_FLUSH_ACKONLY: stop before the (re)transmission phase (5.6.1: right after the ACKs)
     * @param nowMs   current time; stamped into every transmitted PUSH
     * @return ms until the next flush is due ({@code <= interval})
     */
    public int flush(boolean ackOnly, int nowMs) {
        if (buffer == null) {
            buffer = new byte[(mtu + OVERHEAD) * 3];
        }
        int wnd = wndUnused();
        int una = rcvNxt;
        int pos = 0;
        int probeSn = 0;
        int probeTs = 0;
        long segsBefore = outSegs;

        int acks = ackList.size();
        for (int i = 0; i < acks; i++) {
            pos = makeSpace(pos, OVERHEAD);
            int sn = ackList.sn(i);
            if (Seq.diff(sn, rcvNxt) >= 0 || i == acks - 1) { // drop stale ACKs, except the last one
                probeSn = sn;
                probeTs = ackList.ts(i);
                pos = encode(pos, SegmentHeader.CMD_ACK, 0, wnd, probeTs, probeSn, una, 0, 0);
            }
        }
        ackList.clear();
        if (ackOnly && compat561) {
            return endFlush(pos, wnd, segsBefore, interval);
        }

        updateProbe(nowMs);
        if ((probe & ASK_SEND) != 0) {
            pos = makeSpace(pos, OVERHEAD);
            pos = encode(pos, SegmentHeader.CMD_WASK, 0, wnd, probeTs, probeSn, una, 0, 0); // sn/ts: ikcp quirk
        }
        if ((probe & ASK_TELL) != 0) {
            pos = makeSpace(pos, OVERHEAD);
            pos = encode(pos, SegmentHeader.CMD_WINS, 0, wnd, probeTs, probeSn, una, 0, 0);
        }
        probe = 0;
        windowUpdatePending = false;

        int cwndEff = umin(sndWnd, rmtWnd);
        if (!nocwnd) {
            cwndEff = umin(cwnd, cwndEff);
        }
        int newSegs = 0;
        while (!sndQueue.isEmpty() && Seq.diff(sndNxt, sndUna + cwndEff) < 0) {
            Segment seg = sndQueue.pollFirst();
            seg.cmd = SegmentHeader.CMD_PUSH;
            seg.sn = sndNxt++;
            sndBuf.addLast(seg);
            newSegs++;
        }
        unsentTail += newSegs;
        if (ackOnly) {
            return endFlush(pos, wnd, segsBefore, interval);
        }
        return flushData(pos, wnd, una, newSegs, cwndEff, segsBefore, nowMs);
    }

    /** Window probing state (the WASK/WINS phase of kcp-go's {@code flush}). */
    private void updateProbe(int nowMs) {
        if (rmtWnd != 0) {
            tsProbe = 0;
            probeWait = 0;
            return;
        }
        int init = compat561 ? PROBE_INIT_561 : PROBE_INIT;
        if (probeWait == 0) {
            probeWait = init;
            tsProbe = nowMs + probeWait;
        } else if (Seq.diff(nowMs, tsProbe) >= 0) {
            if (Integer.compareUnsigned(probeWait, init) < 0) {
                probeWait = init;
            }
            probeWait += probeWait >>> 1;
            if (Integer.compareUnsigned(probeWait, PROBE_LIMIT) > 0) {
                probeWait = PROBE_LIMIT;
            }
            tsProbe = nowMs + probeWait;
            probe |= ASK_SEND;
        }
    }

    /**
     * Phases 5 and 6 of a full flush: (re)transmissions, counters, congestion window.
     *
     * <p>Visits the segments kcp-go's flush visits, except when nothing can be due among those already transmitted:
     * no duplicate ACK counted since a flush last saw every counter at zero, and the clock before
     * {@link #earliestResend}. Then every transmitted segment would fall through all branches below (not new, no
     * fast or early retransmit, resend time ahead), so only the untransmitted tail is visited, and the bound stands in
     * for the skipped segments' share of the next-update time (it may make that earlier, never later). Output and
     * state are the same as visiting them all.
     */
    private int flushData(int pos, int wnd, int una, int newSegs, int cwndEff, long segsBefore, int nowMs) {
        int resent = fastresend > 0 ? fastresend : FASTACK_DISABLED;
        int fastReset = compat561 ? 0 : FASTACK_DISABLED;
        int change = 0;
        int lost = 0;
        int fast = 0;
        int early = 0;
        int nextUpdate = interval;
        int n = sndBuf.size();
        int from = 0;
        if (!visitAll && !fastackPending && resendBound && Seq.diff(nowMs, earliestResend) < 0 && unsentTail < n) {
            from = n - unsentTail;
            skippedVisits += from;
            nextUpdate = Math.min(nextUpdate, Seq.diff(earliestResend, nowMs));
        }
        boolean fastLeft = false;
        boolean visitedSent = false;
        int minResend = 0;
        for (int i = from; i < n; i++) {
            Segment seg = sndBuf.get(i);
            if (seg.acked) {
                continue;
            }
            boolean fastEnabled = compat561 || seg.fastack != FASTACK_DISABLED;
            boolean needsend = true;
            if (seg.xmit == 0) {
                seg.rto = rxRto;
                seg.resendts = nowMs + seg.rto;
            } else if (fastEnabled && Integer.compareUnsigned(seg.fastack, resent) >= 0) {
                seg.fastack = fastReset;
                seg.rto = rxRto;
                seg.resendts = nowMs + seg.rto;
                change++;
                fast++;
            } else if (fastEnabled && seg.fastack != 0 && newSegs == 0) {
                seg.fastack = fastReset;
                seg.rto = rxRto;
                seg.resendts = nowMs + seg.rto;
                change++;
                early++;
            } else if (Seq.diff(nowMs, seg.resendts) >= 0) {
                seg.rto += nodelay == 0 ? rxRto : rxRto >>> 1;
                seg.fastack = 0;
                seg.resendts = nowMs + seg.rto;
                lost++;
            } else {
                needsend = false;
            }
            if (needsend) {
                seg.xmit++;
                seg.ts = nowMs;
                seg.wnd = wnd;
                seg.una = una;
                pos = makeSpace(pos, OVERHEAD + seg.len);
                if (pos + OVERHEAD + seg.len > buffer.length) { // only after an MTU reduction
                    buffer = java.util.Arrays.copyOf(buffer, (OVERHEAD + seg.len) * 3);
                }
                pos = encode(pos, SegmentHeader.CMD_PUSH, seg.frg, wnd, nowMs, seg.sn, una, seg.len, seg.xmit);
                System.arraycopy(seg.data, 0, buffer, pos, seg.len);
                pos += seg.len;
                if (Integer.compareUnsigned(seg.xmit, deadLink) >= 0) {
                    state = -1;
                }
            }
            int rto = Seq.diff(seg.resendts, nowMs);
            if (rto > 0 && rto < nextUpdate) {
                nextUpdate = rto;
            }
            if (!visitedSent || Seq.diff(seg.resendts, minResend) < 0) {
                minResend = seg.resendts;
                visitedSent = true;
            }
            fastLeft |= seg.fastack != 0 && (compat561 || seg.fastack != FASTACK_DISABLED);
        }
        unsentTail = 0;
        if (from == 0) { // every segment seen: exact state
            resendBound = visitedSent;
            earliestResend = minResend;
            fastackPending = fastLeft;
        } else {
            if (visitedSent && Seq.diff(minResend, earliestResend) < 0) {
                earliestResend = minResend;
            }
            fastackPending |= fastLeft;
        }
        lostSegs += lost;
        fastRetransSegs += fast;
        earlyRetransSegs += early;
        retransSegs += lost + fast + early;
        if (!nocwnd) {
            adjustCwnd(change, lost, resent, cwndEff);
        }
        return endFlush(pos, wnd, segsBefore, nextUpdate);
    }

    /** Congestion window after a flush that fast-retransmitted {@code change} and resent {@code lost} segments. */
    private void adjustCwnd(int change, int lost, int resent, int cwndEff) {
        if (change > 0) { // rate halving, RFC 6937
            ssthresh = umax((sndNxt - sndUna) >>> 1, THRESH_MIN);
            cwnd = ssthresh + resent; // u32 wrap: with resent = 0xFFFFFFFF this is ssthresh - 1
            incr = cwnd * mss;
        }
        if (lost > 0) { // RFC 5681
            ssthresh = umax(cwndEff >>> 1, THRESH_MIN);
            cwnd = 1;
            incr = mss;
        }
        if (cwnd == 0) {
            cwnd = 1;
            incr = mss;
        }
    }

    private int endFlush(int pos, int wnd, long segsBefore, int result) {
        if (pos > 0) {
            output.output(buffer, pos);
        }
        if (outSegs != segsBefore) {
            zeroWindowAdvertised = wnd == 0;
        }
        return result;
    }

    /** kcp-go makeSpace: emits the buffer if {@code space} more bytes would exceed the MTU. */
    private int makeSpace(int pos, int space) {
        if (pos + space > mtu) {
            output.output(buffer, pos);
            return 0;
        }
        return pos;
    }

    private int encode(int pos, int cmd, int frg, int wnd, int ts, int sn, int una, int len, int xmit) {
        outSegs++;
        if (trace != null) {
            trace.segmentOut(conv, cmd, frg, wnd, ts, sn, una, len, xmit);
        }
        return SegmentHeader.put(buffer, pos, conv, cmd, frg, wnd, ts, sn, una, len);
    }

    // ------------------------------------------------------------------ ikcp-style driving

    /**
     * ikcp-style driver ({@code ikcp_update} with the time passed in): call it at the time {@link #check} returns
     * (or every 10-100 ms). Flushes when the flush tick is due, or at once when a reopened window must be announced.
     *
     * @param nowMs current time
     */
    public void update(int nowMs) {
        if (!updated) {
            updated = true;
            tsFlush = nowMs;
        }
        int slap = Seq.diff(nowMs, tsFlush);
        if (slap >= 10000 || slap < -10000) {
            tsFlush = nowMs;
            slap = 0;
        }
        if (slap >= 0) {
            tsFlush += interval;
            if (Seq.diff(nowMs, tsFlush) >= 0) {
                tsFlush = nowMs + interval;
            }
            flush(false, nowMs);
        } else if (windowUpdatePending) {
            flush(false, nowMs);
        }
    }

    /**
     * ikcp-style scheduling ({@code ikcp_check} with the time passed in): the absolute time (same clock as
     * {@code nowMs}) at which {@link #update} should next be called; {@code nowMs} itself if it is due now.
     * Unlike ikcp, a segment whose resend time has already passed does not make it return {@code nowMs} (update
     * would not flush before the tick, so a caller would spin); acked tombstones and segments not sent yet are
     * ignored.
     *
     * @param nowMs current time
     * @return absolute time of the next {@link #update} call
     */
    public int check(int nowMs) {
        if (!updated || windowUpdatePending) {
            return nowMs;
        }
        int ts = tsFlush;
        int sinceFlush = Seq.diff(nowMs, ts);
        if (sinceFlush >= 10000 || sinceFlush < -10000) {
            ts = nowMs;
        }
        if (Seq.diff(nowMs, ts) >= 0) {
            return nowMs;
        }
        int minimal = Seq.diff(ts, nowMs);
        for (int i = 0, n = sndBuf.size(); i < n; i++) {
            Segment seg = sndBuf.get(i);
            int diff = Seq.diff(seg.resendts, nowMs);
            if (!seg.acked && seg.xmit > 0 && diff > 0 && diff < minimal) {
                minimal = diff;
            }
        }
        return nowMs + Math.min(minimal, interval);
    }

    // ------------------------------------------------------------------ knobs

    /**
     * kcp-go {@code NoDelay}: each argument below 0 leaves the setting unchanged.
     *
     * @param nodelay             true: min RTO 30 ms and RTO backoff +rx_rto/2; false: min RTO 100 ms, +rx_rto
     * @param intervalMs          flush interval, clamped to [10, 5000]; negative = unchanged
     * @param fastResend          duplicate ACKs that trigger a fast retransmit; 0 = off; negative = unchanged
     * @param noCongestionControl true: ignore cwnd (send window = min(snd_wnd, rmt_wnd))
     */
    public void setNoDelay(boolean nodelay, int intervalMs, int fastResend, boolean noCongestionControl) {
        this.nodelay = nodelay ? 1 : 0;
        rxMinrto = nodelay ? RTO_NDL : RTO_MIN;
        if (intervalMs >= 0) {
            interval = Math.clamp(intervalMs, 10, 5000);
        }
        if (fastResend >= 0) {
            fastresend = fastResend;
        }
        nocwnd = noCongestionControl;
    }

    /**
     * kcp-go {@code WndSize}: values &gt; 0 replace snd_wnd / rcv_wnd (in segments), others leave them unchanged.
     * A larger rcv_wnd is announced to a peer that saw a zero window (WINS at the next flush).
     *
     * @param sndWnd send window in segments; &lt;= 0 leaves it unchanged
     * @param rcvWnd receive window in segments; &lt;= 0 leaves it unchanged
     * @throws IllegalArgumentException if {@code rcvWnd > 65535} (the wire field is u16; kcp-go would wrap it)
     */
    public void setWindowSize(int sndWnd, int rcvWnd) {
        if (rcvWnd > 0xFFFF) {
            throw new IllegalArgumentException("rcvWnd > 65535: " + rcvWnd + " (wnd is a u16 on the wire)");
        }
        if (sndWnd > 0) {
            this.sndWnd = sndWnd;
        }
        if (rcvWnd > 0) {
            this.rcvWnd = rcvWnd;
            rcvBuf.ensureCapacity(rcvWnd);
            moveReceived();
            noteWindowReopened();
        }
    }

    /**
     * kcp-go v5.6.72 {@code SetMtu}: sets the maximum datagram size and mss = mtu - 24. Segments already queued keep
     * their size.
     *
     * @param mtu maximum datagram size in bytes
     * @throws IllegalArgumentException if {@code mtu < 25}
     */
    public void setMtu(int mtu) {
        if (mtu < MTU_MIN) {
            throw new IllegalArgumentException("mtu < " + MTU_MIN + ": " + mtu + " (needs room for the 24-byte header"
                    + " and at least one data byte)");
        }
        this.mtu = mtu;
        this.mss = mtu - OVERHEAD;
        this.buffer = null; // the next flush allocates (mtu + 24) * 3 bytes
    }

    /**
     * Stream mode (true): no message boundaries, small sends are coalesced; message mode (false, default).
     *
     * @param stream true for stream mode
     */
    public void setStreamMode(boolean stream) {
        this.stream = stream;
    }

    /**
     * Number of transmissions of one segment after which {@link #isDeadLink()} becomes true (default 20).
     *
     * @param xmitLimit transmissions of one segment that mark the link dead
     * @throws IllegalArgumentException if {@code xmitLimit <= 0}
     */
    public void setDeadLink(int xmitLimit) {
        if (xmitLimit <= 0) {
            throw new IllegalArgumentException("dead link xmit limit <= 0: " + xmitLimit);
        }
        this.deadLink = xmitLimit;
    }

    /**
     * kcp-go 5.6.1 timing: probe init 7000 ms, fastack reset to 0 after a fast/early retransmit, no
     * fast-ack-triggered flush and no ACK clocking in input, ACK-only flush returns right after the ACKs. The bytes
     * of each segment are the same either way.
     *
     * @param compat true for 5.6.1 timing, false (default) for v5.6.72
     */
    public void setCompat561(boolean compat) {
        this.compat561 = compat;
    }

    /**
     * Installs a segment trace (kcp-go {@code SetLogger}): {@code trace} hears of every segment parsed by
     * {@link #input}, every segment header encoded by a flush, every {@link #send} and every message {@link #recv}
     * returns; null (the default) removes it. It runs on the caller's thread inside those calls (see
     * {@link KcpTrace}). Without a trace the cost is one null check per segment.
     *
     * @param trace the trace, or null for none
     */
    public void setTrace(KcpTrace trace) {
        this.trace = trace;
    }

    /** {@return the installed segment trace, or null if none} */
    public KcpTrace trace() {
        return trace;
    }

    // ------------------------------------------------------------------ getters

    /** {@return the conversation id} */
    public int conv() {
        return conv;
    }

    /** {@return the maximum datagram size in bytes} */
    public int mtu() {
        return mtu;
    }

    /** {@return the maximum payload bytes per segment (mtu - 24)} */
    public int mss() {
        return mss;
    }

    /** {@return kcp-go WaitSnd: segments queued or in flight (acked tombstones included)} */
    public int waitSnd() {
        return sndBuf.size() + sndQueue.size();
    }

    /** {@return kcp-go gauge RingBufferSndQueue: segments queued by {@link #send} and not yet in flight} */
    public int sndQueueLength() {
        return sndQueue.size();
    }

    /** {@return kcp-go gauge RingBufferSndBuffer: segments in flight (acked tombstones included)} */
    public int sndBufLength() {
        return sndBuf.size();
    }

    /** {@return kcp-go gauge RingBufferRcvQueue: in-order segments waiting for {@link #recv}} */
    public int rcvQueueLength() {
        return rcvQueue.size();
    }

    /**
     * {@return the out-of-order segments held in the receive window until the missing ones arrive (kcp-go
     * {@code rcv_buf})}
     */
    public int rcvBufLength() {
        return rcvBuf.size();
    }

    /** {@return the send window in segments} */
    public int sndWnd() {
        return sndWnd;
    }

    /** {@return the receive window in segments} */
    public int rcvWnd() {
        return rcvWnd;
    }

    /** {@return the peer's last advertised free receive window in segments} */
    public int rmtWnd() {
        return rmtWnd;
    }

    /** {@return the current retransmission timeout in ms} */
    public int rxRto() {
        return rxRto;
    }

    /** {@return the smoothed RTT in ms} */
    public int rxSrtt() {
        return rxSrtt;
    }

    /** {@return the RTT variation in ms} */
    public int rxRttvar() {
        return rxRttvar;
    }

    /** {@return the flush interval in ms} */
    public int intervalMs() {
        return interval;
    }

    /** {@return true in stream mode, false in message mode} */
    public boolean isStreamMode() {
        return stream;
    }

    /** {@return true once any segment has been transmitted dead-link times (ikcp {@code state == -1}); never resets} */
    public boolean isDeadLink() {
        return state != 0;
    }

    /** {@return true if kcp-go 5.6.1 timing is selected} */
    public boolean isCompat561() {
        return compat561;
    }

    /**
     * True if a flush now would emit nothing and change nothing, so a scheduler may stop flushing until the next
     * {@link #send}, {@link #input}, {@link #recv} or knob change: nothing queued or in flight (snd_queue and snd_buf
     * empty), no ACK pending, no WASK/WINS pending, no window update pending, and the peer's window open
     * ({@code rmt_wnd != 0}, so no window probe is running). Not part of kcp-go (its updater flushes every session
     * every interval); the answer is only a snapshot, valid until the next call into this Kcp.
     *
     * @return true if nothing is due until this Kcp is called again
     */
    public boolean isIdle() {
        return sndQueue.isEmpty() && sndBuf.isEmpty() && ackList.size() == 0 && probe == 0 && !windowUpdatePending
                && rmtWnd != 0;
    }

    /**
     * Releases memory held only for speed while nothing is queued: the free-segment cache (kcp-go keeps its segment
     * buffers in a process-wide {@code sync.Pool} instead), the flush buffer and queue, ack-list and receive-window
     * arrays grown beyond their initial size. State and behaviour are unchanged; the next send, input or flush
     * allocates what it needs again. Meant for a driver that sees {@link #isIdle()} stay true for a while (kcp.net
     * does it after a few seconds of idleness): a session that was busy once otherwise keeps up to a window's worth of
     * segment buffers forever.
     */
    public void trim() {
        pool.clear();
        buffer = null;
        sndQueue.trim();
        sndBuf.trim();
        rcvQueue.trim();
        rcvBuf.trim();
        ackList.trim();
    }

    /** {@return true if a reopened receive window waits to be announced (WINS) by the next flush; flush now if so} */
    public boolean isWindowUpdatePending() {
        return windowUpdatePending;
    }

    /** {@return ikcp snd_una: first unacknowledged sn} */
    public int sndUna() {
        return sndUna;
    }

    /** {@return ikcp snd_nxt: next sn to be assigned} */
    public int sndNxt() {
        return sndNxt;
    }

    /** {@return ikcp rcv_nxt: next sn expected in order} */
    public int rcvNxt() {
        return rcvNxt;
    }

    /** {@return ikcp cwnd: congestion window in segments (u32 as int)} */
    public int cwnd() {
        return cwnd;
    }

    /** {@return kcp-go SNMP InSegs: segments parsed by successful input calls} */
    public long inSegs() {
        return inSegs;
    }

    /** {@return kcp-go SNMP OutSegs: segment headers encoded (ACK, WASK, WINS, PUSH incl. retransmissions)} */
    public long outSegs() {
        return outSegs;
    }

    /** {@return kcp-go SNMP RetransSegs: lost + fast + early retransmissions} */
    public long retransSegs() {
        return retransSegs;
    }

    /** {@return kcp-go SNMP FastRetransSegs: retransmissions triggered by duplicate ACKs} */
    public long fastRetransSegs() {
        return fastRetransSegs;
    }

    /** {@return kcp-go SNMP EarlyRetransSegs: early retransmissions when nothing new is sent} */
    public long earlyRetransSegs() {
        return earlyRetransSegs;
    }

    /** {@return kcp-go SNMP LostSegs: RTO-driven retransmissions} */
    public long lostSegs() {
        return lostSegs;
    }

    /** {@return kcp-go SNMP RepeatSegs: duplicate or out-of-window PUSH segments from regular packets} */
    public long repeatSegs() {
        return repeatSegs;
    }

    // ------------------------------------------------------------------ test hooks

    /**
     * Test hook: starts the send and receive sequence numbers at {@code sn} (both peers must use the same value),
     * to exercise 2^32 wraparound. Only valid before anything was sent or received.
     */
    void initSequence(int sn) {
        if (sndNxt != 0 || rcvNxt != 0 || !sndQueue.isEmpty() || !sndBuf.isEmpty()) {
            throw new IllegalStateException("initSequence after traffic: snd_nxt " + sndNxt + ", rcv_nxt " + rcvNxt);
        }
        sndUna = sn;
        sndNxt = sn;
        rcvNxt = sn;
    }

    /** Test hook: makes every full flush visit all of snd_buf (kcp-go's loop), to compare against the skipping one. */
    void visitAllOnFlush() {
        visitAll = true;
    }

    /** Test hook: in-flight segments that full flushes skipped because nothing could be due for them. */
    long skippedVisits() {
        return skippedVisits;
    }

    /** Test hook: transmission count of the first in-flight segment, -1 if none. */
    int firstXmit() {
        Segment first = sndBuf.peekFirst();
        return first == null ? -1 : first.xmit;
    }
}
