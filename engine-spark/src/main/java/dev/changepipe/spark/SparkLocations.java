package dev.changepipe.spark;

import dev.changepipe.spec.PipelineSpec;

/**
 * The Delta table locations of one pipeline: its tables directly under {@code engine.path}, named as
 * the spec names them, and the warehouse's bookkeeping under {@code _changepipe/}. {@code root} is a
 * local folder or a Hadoop file system URI ({@code s3a://…}, {@code hdfs://…}).
 */
record SparkLocations(String root, String raw, String rejects, String current, String history, String files,
        String offsets, String taskHistory) {

    static SparkLocations of(String root, PipelineSpec spec) {
        String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        String bookkeeping = base + "/" + SparkSchema.BOOKKEEPING + "/";
        return new SparkLocations(base, base + "/" + spec.tables().raw(), base + "/" + spec.tables().rejects(),
                base + "/" + spec.tables().current(), base + "/" + spec.tables().history(), bookkeeping + "files",
                bookkeeping + "offsets", bookkeeping + "task_history");
    }
}
