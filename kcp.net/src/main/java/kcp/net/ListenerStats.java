package kcp.net;

/**
 * A snapshot of one listener's counters ({@link KcpListener#stats()}; the same values are attributes of its MBean,
 * {@link KcpListener#registerMBean()}). Counts are since the listener opened; the process-wide kcp-go SNMP counters
 * stay in {@link NetStats#global()}.
 *
 * @param sessions              sessions the listener routes now (embryonic, waiting for accept, or accepted)
 * @param pendingAccepts        sessions waiting for {@code accept()}
 * @param embryonic             sessions that have delivered no in-order data yet ({@code docs/hostile.md})
 * @param accepted              sessions created from first datagrams (kcp-go's PassiveOpens for this listener)
 * @param refused               datagrams that would have opened a session but did not: backlog full, session or
 *                              memory budget exhausted, quiet period of a just-closed conv
 * @param backlogDrops          of {@code refused}: the accept backlog was full (kcp-go drops these too)
 * @param dropped               datagrams that reached no session, for any reason ({@code refused} included)
 * @param migrations            sessions moved to a new source address (connection migration)
 * @param migrationsForged      datagrams from an address bound to no session that failed authentication (CRC or AEAD
 *                              tag, wrong key, or too short), in migration mode
 * @param migrationsReplayed    authenticated datagrams from an address bound to no session whose nonce the replay
 *                              filter had seen, in migration mode
 * @param migrationsUnknownConv authenticated datagrams from an address bound to no session whose conv no session has
 *                              and that cannot open one (no conv, or no data), in migration mode
 * @param migrationsOutOfWindow authenticated datagrams from a new address with a live session's conv that do not fit
 *                              its sequence space (a second client with the same conv, or a stale datagram)
 */
public record ListenerStats(int sessions, int pendingAccepts, int embryonic, long accepted, long refused,
        long backlogDrops, long dropped, long migrations, long migrationsForged, long migrationsReplayed,
        long migrationsUnknownConv, long migrationsOutOfWindow) {

    /** {@return every migration attempt that was refused: forged, replayed, unknown conv and out of window} */
    public long migrationsRefused() {
        return migrationsForged + migrationsReplayed + migrationsUnknownConv + migrationsOutOfWindow;
    }
}
