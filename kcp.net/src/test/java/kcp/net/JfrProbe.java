package kcp.net;

import java.net.InetSocketAddress;
import java.time.Duration;

import kcp.net.testing.VirtualNetwork;

/**
 * Child-JVM probe for {@code JfrEventsTest}: a session's whole life (dial, accept, a byte each way, close) in a JVM
 * that never records, on the in-memory network; prints {@code done} at the end. The test reads the JVM's class-load log
 * to see whether kcp.net woke Flight Recorder.
 */
final class JfrProbe {
    private JfrProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress client = VirtualNetwork.address(1);
        InetSocketAddress server = VirtualNetwork.address(2);
        VirtualNetwork net = new VirtualNetwork(1);
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST3).build();
        KcpListener l = Kcps.serve(net.endpoint(server), o, net.context());
        KcpSession c = Kcps.dial(net.endpoint(client), server, 7, o, net.context());
        c.write(new byte[] {1});
        if (!net.runUntil(() -> l.sessionCount() > 0, 10_000)) {
            throw new AssertionError("no session");
        }
        KcpSession s = l.accept(Duration.ofSeconds(10));
        s.write(new byte[] {2});
        if (!net.runUntil(() -> c.available() > 0, 10_000)) {
            throw new AssertionError("no reply");
        }
        c.close();
        l.close();
        System.out.println("done");
    }
}
