package kcp.smux;

/**
 * What a smux session dropped instead of buffering: a snapshot from {@link SmuxSession#counters()}.
 *
 * @param unknownStreamFrames PSH, FIN and UPD frames for stream ids that were never opened (frames for a stream
 *     already closed here, such as the peer's FIN answering ours, are normal and not counted)
 * @param droppedBytes data bytes thrown away: PSH data for unknown streams and for streams closed here
 * @param duplicateSyns SYN frames for a stream id that is already open
 * @param refusedStreams streams the peer opened while the accept backlog was full; each was answered with a
 *     FIN, so the peer reads end-of-stream
 */
public record SmuxCounters(long unknownStreamFrames, long droppedBytes, long duplicateSyns,
        long refusedStreams) {
}
