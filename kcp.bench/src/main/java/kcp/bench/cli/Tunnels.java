package kcp.bench.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import kcp.net.SessionOptions;

/** What {@link TunnelClient} and {@link TunnelServer} share: the start-up log, address format, SNMP logger. */
final class Tunnels {
    private Tunnels() {
    }

    /** @return {@code host:port} with the numeric host ({@code [v6]:port} for IPv6) */
    static String hostPort(SocketAddress a) {
        if (!(a instanceof InetSocketAddress i)) {
            return String.valueOf(a);
        }
        String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + i.getPort();
    }

    /** Logs the settings the way kcptun does at start-up, one {@code name: value} line each. */
    static void logSettings(TunnelLog log, TunnelConfig c) {
        SessionOptions o = c.options();
        log.log("version: kcp-java (kcptun 20210922 compatible)");
        log.log("smux version: " + c.smux().version());
        if (c.client()) {
            log.log("remote address: " + hostPort(c.remote()));
        } else {
            log.log("target: " + c.target());
        }
        log.log("encryption: " + (o.cipherName() == null ? "null" : o.cipherName()));
        log.log("nodelay parameters: " + (o.noDelay() ? 1 : 0) + " " + o.intervalMs() + " " + o.fastResend() + " "
                + (o.noCongestionControl() ? 1 : 0));
        log.log("sndwnd: " + o.sndWnd() + " rcvwnd: " + o.rcvWnd());
        log.log("compression: " + c.compress());
        log.log("mtu: " + o.mtu());
        log.log("datashard: " + o.fecDataShards() + " parityshard: " + o.fecParityShards());
        log.log("acknodelay: " + o.ackNoDelay());
        log.log("dscp: " + Math.max(0, o.dscp()));
        log.log("sockbuf: " + o.readBufferBytes());
        log.log("smuxbuf: " + c.smux().maxReceiveBuffer());
        log.log("streambuf: " + c.smux().maxStreamBuffer());
        log.log("keepalive: " + c.smux().keepAliveInterval().toSeconds());
        if (c.client()) {
            log.log("conn: " + c.conn());
            log.log("autoexpire: " + c.autoExpire().toSeconds());
            log.log("scavengettl: " + c.scavengeTtl().toSeconds());
        }
        log.log("snmplog: " + c.snmpLog());
        log.log("snmpperiod: " + c.snmpPeriod().toSeconds());
        log.log("quiet: " + c.quiet());
        if (!c.ignoredKeys().isEmpty()) {
            log.log("config file: ignored unknown keys " + c.ignoredKeys());
        }
    }

    /**
     * Starts kcptun's SNMP logger: a virtual thread that appends a CSV line every {@code --snmpperiod} (nothing
     * when {@code --snmplog} is empty or the period 0); interrupt it to stop.
     *
     * @return the thread, or null
     */
    static Thread startSnmpLogger(TunnelConfig c, TunnelLog log) {
        if (c.snmpLog().isEmpty() || c.snmpPeriod().isZero()) {
            return null;
        }
        return Thread.ofVirtual().name("tunnel-snmp").start(() -> {
            while (true) {
                try {
                    Thread.sleep(c.snmpPeriod());
                    TunnelLog.snmpLine(c.snmpLog(), TunnelLog.now());
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // kcptun stops its logger on the first error, after saying why
                    log.log("snmplog: " + e.getMessage());
                    return;
                }
            }
        });
    }
}
