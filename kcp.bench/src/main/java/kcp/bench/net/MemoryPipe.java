package kcp.bench.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import kcp.net.DatagramTransport;
import kcp.net.ReceiveThreadKind;

/**
 * Two in-memory {@link DatagramTransport} endpoints for benchmarks: each direction is a ring of 4096 preallocated
 * 1500-byte slots filled by {@code send} and drained by one delivery thread per endpoint, so a datagram costs two
 * copies and no allocation, and there is no socket, no loss and no simulated delay. (Tests use
 * {@code kcp.net.testing.VirtualNetwork} instead: virtual time, seeded loss, but a copy and an object per datagram.)
 * A full ring drops the datagram, as a full socket buffer would.
 */
final class MemoryPipe {
    private static final int SLOTS = 4096;

    final Endpoint a;
    final Endpoint b;

    MemoryPipe(InetSocketAddress addressA, InetSocketAddress addressB) {
        a = new Endpoint(addressA);
        b = new Endpoint(addressB);
        a.peer = b;
        b.peer = a;
    }

    /** One side: receives into its own ring, delivered by its own thread. */
    static final class Endpoint implements DatagramTransport {
        private final InetSocketAddress address;
        private final byte[][] slots = new byte[SLOTS][1500];
        private final int[] lengths = new int[SLOTS];
        private final Object producers = new Object();
        private Endpoint peer;
        private volatile long head; // next slot to deliver
        private volatile long tail; // next slot to fill
        private volatile boolean closed;
        private volatile Thread deliverer;
        /** The deliverer found the ring empty and may be parked. */
        private volatile boolean sleeping;

        Endpoint(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public void start(Receiver receiver, ReceiveThreadKind threadKind) {
            deliverer = Thread.ofPlatform().daemon().name("bench-pipe-" + address.getPort())
                    .start(() -> deliver(receiver));
        }

        private void deliver(Receiver receiver) {
            while (!closed) {
                long h = head;
                if (h == tail) {
                    // Publish "asleep", then look again: an offer either sees the flag or its datagram is seen here.
                    sleeping = true;
                    if (head == tail && !closed) {
                        LockSupport.park(this); // an offer unparks; a permit left by an earlier offer ends it at once
                    }
                    sleeping = false;
                    continue;
                }
                int i = (int) (h & (SLOTS - 1));
                receiver.onDatagram(slots[i], lengths[i], peer.address);
                head = h + 1;
            }
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            peer.offer(datagram);
        }

        private void offer(ByteBuffer datagram) {
            synchronized (producers) { // benchmark code: several session threads may send at once
                long t = tail;
                if (t - head == SLOTS || closed) {
                    return; // full: dropped, like a full socket buffer
                }
                int i = (int) (t & (SLOTS - 1));
                lengths[i] = datagram.remaining();
                datagram.get(slots[i], 0, lengths[i]);
                tail = t + 1;
            }
            Thread d = deliverer;
            if (d != null && sleeping) {
                LockSupport.unpark(d); // only a parked deliverer: an unpark per datagram cost more than the session
            }
        }

        @Override
        public void close() {
            closed = true;
            Thread d = deliverer;
            if (d != null) {
                LockSupport.unpark(d);
            }
        }
    }
}
