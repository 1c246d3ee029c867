package kcp.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler that reports the benchmark JVM's CPU time per operation ({@code cpu.ns/op}: user + system time
 * of the whole process over the iteration, divided by the operations done). On a shared machine the wall-clock
 * score grows with the load other processes put on the cores; CPU time per operation does not (it still includes
 * cache effects, and compiler threads while they work, so measure after warm-up). Use it as
 * {@code -prof kcp.bench.CpuTimeProfiler}; CPU time comes from {@code com.sun.management.OperatingSystemMXBean}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private long startCpu;

    /** Creates the profiler (JMH instantiates it by class name). */
    public CpuTimeProfiler() {
    }

    @Override
    public String getDescription() {
        return "process CPU time (user + system) per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startCpu = cpuNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpu = cpuNanos() - startCpu;
        long ops = result.getMetadata().getMeasuredOps();
        double perOp = ops > 0 ? (double) cpu / ops : Double.NaN;
        return List.of(new ScalarResult("cpu.ns/op", perOp, "ns/op", AggregationPolicy.AVG));
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
