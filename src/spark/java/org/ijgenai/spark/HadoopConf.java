package org.ijgenai.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration as plain strings, so that tasks can open the same file systems (HDFS, S3
 * connectors and their credentials providers) as the driver; Hadoop's {@code Configuration} is not serializable.
 */
final class HadoopConf implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> entries = new HashMap<>();

    HadoopConf(Configuration conf) {
        for (Map.Entry<String, String> e : conf) {
            entries.put(e.getKey(), e.getValue());
        }
    }

    /** A configuration with exactly the driver's entries. */
    Configuration get() {
        Configuration conf = new Configuration(false);
        entries.forEach(conf::set);
        return conf;
    }
}
