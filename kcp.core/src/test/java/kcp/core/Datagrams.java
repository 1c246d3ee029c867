package kcp.core;

import java.util.ArrayList;
import java.util.List;

import kcp.core.wire.SegmentHeader;

/** Test helpers: an output callback that records copies of datagrams, and a builder for hand-made segments. */
final class Datagrams implements KcpOutput {
    final List<byte[]> sent = new ArrayList<>();

    @Override
    public void output(byte[] buf, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, 0, copy, 0, len);
        sent.add(copy);
    }

    /** Every segment of every recorded datagram with this cmd, as {sn, ts, wnd, una, frg, len}. */
    List<int[]> segments(int cmd) {
        List<int[]> out = new ArrayList<>();
        for (byte[] d : sent) {
            int pos = 0;
            while (d.length - pos >= SegmentHeader.OVERHEAD) {
                int len = SegmentHeader.len(d, pos);
                if (SegmentHeader.cmd(d, pos) == cmd) {
                    out.add(new int[] {SegmentHeader.sn(d, pos), SegmentHeader.ts(d, pos), SegmentHeader.wnd(d, pos),
                            SegmentHeader.una(d, pos), SegmentHeader.frg(d, pos), len});
                }
                pos += SegmentHeader.OVERHEAD + len;
            }
        }
        return out;
    }

    int count(int cmd) {
        return segments(cmd).size();
    }

    void clear() {
        sent.clear();
    }

    /** One segment: header plus {@code payload}. */
    static byte[] segment(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, byte[] payload) {
        byte[] b = new byte[SegmentHeader.OVERHEAD + payload.length];
        SegmentHeader.put(b, 0, conv, cmd, frg, wnd, ts, sn, una, payload.length);
        System.arraycopy(payload, 0, b, SegmentHeader.OVERHEAD, payload.length);
        return b;
    }

    /** Concatenates segments into one datagram. */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    static InputResult feed(Kcp kcp, byte[] datagram, int nowMs) {
        return kcp.input(datagram, 0, datagram.length, true, false, nowMs);
    }
}
