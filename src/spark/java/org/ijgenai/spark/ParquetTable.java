package org.ijgenai.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * A Parquet table that tasks append to, one file per partition: each file is written under a temporary name and
 * renamed into the table folder once complete, so a reader (Spark's {@code spark.read.parquet}, or a rerun that
 * looks for finished images) sees whole partitions or nothing. Lists are written in Parquet's standard three-level
 * layout, which Spark reads as {@code array<…>}.
 */
final class ParquetTable implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The value types a column can hold. */
    enum Kind { STRING, LONG, INT, DOUBLE, FLOATS, INTS }

    /** A named, typed column. */
    record Column(String name, Kind kind) implements Serializable {
    }

    private final String name;
    private final List<Column> columns;

    ParquetTable(String name, List<Column> columns) {
        this.name = name;
        this.columns = List.copyOf(columns);
    }

    /** The table's name, which is also its folder under the job's output prefix. */
    String name() {
        return name;
    }

    List<Column> columns() {
        return columns;
    }

    private MessageType schema() {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        for (Column c : columns) {
            switch (c.kind()) {
                case STRING -> builder.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                        .named(c.name());
                case LONG -> builder.required(PrimitiveTypeName.INT64).named(c.name());
                case INT -> builder.required(PrimitiveTypeName.INT32).named(c.name());
                case DOUBLE -> builder.required(PrimitiveTypeName.DOUBLE).named(c.name());
                case FLOATS -> builder.requiredList().requiredElement(PrimitiveTypeName.FLOAT).named(c.name());
                case INTS -> builder.requiredList().requiredElement(PrimitiveTypeName.INT32).named(c.name());
                default -> throw new IllegalStateException(c.kind().toString());
            }
        }
        return builder.named("ij_genai_" + name.replace('-', '_'));
    }

    /**
     * Writes {@code rows} (values in column order) as one file of the table and renames it into place.
     *
     * @param file the final file, inside the table folder
     * @param temp where to write it first, outside the table folder, on the same file system
     */
    void write(List<Object[]> rows, Path file, Path temp, Configuration conf) throws IOException {
        MessageType schema = schema();
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(temp).withConf(conf).withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (Object[] row : rows) {
                if (row.length != columns.size()) {
                    throw new IllegalArgumentException("row has " + row.length + " values, table " + name
                            + " has " + columns.size() + " columns");
                }
                Group g = groups.newGroup();
                for (int i = 0; i < row.length; i++) {
                    append(g, columns.get(i), row[i]);
                }
                writer.write(g);
            }
        }
        JobOutput.replace(temp.getFileSystem(conf), temp, file);
    }

    private static void append(Group g, Column c, Object value) {
        switch (c.kind()) {
            case STRING -> g.append(c.name(), (String) value);
            case LONG -> g.append(c.name(), ((Number) value).longValue());
            case INT -> g.append(c.name(), ((Number) value).intValue());
            case DOUBLE -> g.append(c.name(), ((Number) value).doubleValue());
            case FLOATS -> {
                Group list = g.addGroup(c.name());
                for (float f : (float[]) value) {
                    list.addGroup("list").append("element", f);
                }
            }
            case INTS -> {
                Group list = g.addGroup(c.name());
                for (int v : (int[]) value) {
                    list.addGroup("list").append("element", v);
                }
            }
            default -> throw new IllegalStateException(c.kind().toString());
        }
    }

    /** The committed files of the table folder (none when it does not exist yet). */
    static List<Path> files(FileSystem fs, Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(folder)) {
            return out;
        }
        for (var status : fs.listStatus(folder, p -> p.getName().endsWith(".parquet")
                && !p.getName().startsWith(".") && !p.getName().startsWith("_"))) {
            out.add(status.getPath());
        }
        return out;
    }
}
