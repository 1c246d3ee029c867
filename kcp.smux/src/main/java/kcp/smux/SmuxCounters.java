package kcp.smux;

/**
 * What a smux session dropped instead of buffering: a snapshot from {@link SmuxSession#counters()}.
 *
 * @param unknownStreamFrames PSH, FIN and UPD frames for streams this session does not have (never opened, or
 *     already closed here; a FIN that answers our own close lands here too)
 * @param unknownStreamBytes the data bytes of those PSH frames, and of data that arrived for a stream after
 *     it was closed here
 * @param duplicateSyns SYN frames for a stream id that is already open
 * @param refusedStreams streams the peer opened while the accept backlog was full; each was answered with a
 *     FIN, so the peer reads end-of-stream
 */
public record SmuxCounters(long unknownStreamFrames, long unknownStreamBytes, long duplicateSyns,
        long refusedStreams) {
}
