/**
 * The {@code ./kcp} command line ({@link kcp.bench.cli.Main}): {@code speed}, {@code echo-server},
 * {@code echo-client}, {@code sink-server} and {@code sink-client} with kcptun-style flags, interoperable
 * with kcp-go peers configured the same way. Sessions run on platform or virtual threads (--threads); output is plain
 * text ({@code LISTEN}, {@code SINK}, {@code RESULT} lines and counter tables) meant for people and scripts.
 */
package kcp.bench.cli;
