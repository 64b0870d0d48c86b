package dev.changepipe.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One point of the growth scenario, in a JVM of its own so that its peak memory is its own: lands each
 * batch of a folder in turn (the first is the warm-up) into a seeded pipeline and times ingest, current and
 * history until idle. Prints {@value #PROGRESS} after each batch and {@value #RESULT} with the figures as JSON.
 */
public final class GrowthPointRun {
    static final String PROGRESS = "GROWTH-BATCH-DONE";
    static final String RESULT = "GROWTH-RESULT ";
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** What one batch took, in seconds: end to end, and per task. */
    record BatchTimes(double seconds, double ingest, double current, double history) {}

    /** What the parent reads back. */
    record Result(List<BatchTimes> batches, long peakRssMb, long peakHeapMb, long rawRows, long currentRows, long historyRows) {}

    private GrowthPointRun() {}

    /** Arguments: the spec file, the folder of batch files. */
    public static void main(String[] args) throws Exception {
        PipelineSpec spec = SpecLoader.load(Path.of(args[0]));
        List<Path> batches;
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            batches = files.sorted().toList();
        }
        List<BatchTimes> times = new ArrayList<>();
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), spec.schedule().settle(),
                        Clock.systemUTC())) {
            engine.prepare();
            Map<PipelineTask, Double> taskSeconds = new EnumMap<>(PipelineTask.class);
            PipelineListener listener = new PipelineListener() {
                @Override
                public void taskFinished(TaskRun run) {
                    taskSeconds.merge(run.task(), Duration.between(run.started(), run.ended()).toNanos() / 1e9, Double::sum);
                }
            };
            PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), listener);
            for (Path batch : batches) {
                land(batch, spec.landing());
                taskSeconds.clear();
                long started = System.nanoTime();
                runner.runUntilIdle();
                times.add(new BatchTimes((System.nanoTime() - started) / 1e9, taskSeconds.getOrDefault(PipelineTask.INGEST, 0.0),
                        taskSeconds.getOrDefault(PipelineTask.CURRENT, 0.0), taskSeconds.getOrDefault(PipelineTask.HISTORY, 0.0)));
                System.out.println(PROGRESS);
                System.out.flush();
            }
            List<Object> counts = engine.query("""
                    SELECT (SELECT count(*) FROM customer_raw), (SELECT count(*) FROM customer),
                           (SELECT count(*) FROM customer_history)""", List.of()).rows().get(0);
            Result result = new Result(times, statusKb("VmHWM") / 1024, peakHeapMb(), ((Number) counts.get(0)).longValue(),
                    ((Number) counts.get(1)).longValue(), ((Number) counts.get(2)).longValue());
            System.out.println(RESULT + JSON.writeValueAsString(result));
            System.out.flush();
        }
    }

    /** Copies under a hidden name, then renames into place, as a well-behaved producer does. */
    private static void land(Path batch, Path landing) throws IOException {
        Path temp = landing.resolve("." + batch.getFileName() + ".part");
        Files.copy(batch, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, landing.resolve(batch.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The sum of the heap pools' peaks: an upper bound of the heap ever in use at once. */
    private static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    /** A field of /proc/self/status in kB (VmHWM: the peak resident set), or -1 where there is no /proc. */
    static long statusKb(String field) {
        try {
            Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/self/status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
