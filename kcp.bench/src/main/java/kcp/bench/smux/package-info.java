/** JMH benchmarks of {@code kcp.smux}: framing through an in-memory channel, and memory per idle stream. */
package kcp.bench.smux;
