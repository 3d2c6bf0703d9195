package org.ijgenai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;

/** Runs the Spark jobs in this JVM the way the tests need them: local[2], no web UI. */
final class SparkJobs {

    static final List<String> LOCAL = List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false",
            "--conf", "spark.sql.shuffle.partitions=4");

    private SparkJobs() {}

    /** Runs {@code job} with {@code args}, asserts exit code 0, and returns what it printed. */
    static String run(String job, String... args) {
        List<String> all = new ArrayList<>();
        all.add(job);
        all.addAll(List.of(args));
        all.addAll(LOCAL);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkCli.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        return printed;
    }

    /** A local session for reading the tables back. */
    static SparkSession session() {
        return SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    }
}
