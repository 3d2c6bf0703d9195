package org.ijgenai.spark;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Paths;

import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One input image as the driver listed it: its key, where to read it, and the size and modification time that
 * tell whether it changed since a previous run.
 *
 * @param key what every table and the index record as the image's path: the absolute local path for
 *     {@code file:} URIs (exactly what the single-machine {@code clip index} stores), otherwise the full URI
 * @param uri the Hadoop file system URI to read it from
 * @param size the file size in bytes
 * @param modifiedMillis the modification time in milliseconds since the epoch
 */
public record InputImage(String key, String uri, long size, long modifiedMillis) implements Serializable {

    /** The Spark schema of a listing: {@code path, uri, size, mtime}. */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("uri", DataTypes.StringType, false)
            .add("size", DataTypes.LongType, false)
            .add("mtime", DataTypes.LongType, false);

    /** The entry for a listed file. */
    static InputImage of(FileStatus status) {
        URI uri = status.getPath().toUri();
        return new InputImage(keyOf(uri), uri.toString(), status.getLen(), status.getModificationTime());
    }

    /** The key of a URI: the normalised absolute path for a local file, the URI itself otherwise. */
    static String keyOf(URI uri) {
        if ("file".equals(uri.getScheme())) {
            return Paths.get(uri).toAbsolutePath().normalize().toString();
        }
        return uri.toString();
    }

    /** Whether the image is on the local file system, so it can be decoded in place. */
    boolean isLocal() {
        return uri.startsWith("file:");
    }

    /** The image's key as a relative path (scheme and leading slashes dropped), for naming outputs. */
    String relativeName() {
        String name = isLocal() ? key : URI.create(uri).getPath();
        if (!isLocal() && URI.create(uri).getAuthority() != null) {
            name = URI.create(uri).getAuthority() + "/" + name;
        }
        return name.replaceFirst("^[/\\\\]+", "").replace(':', '_');
    }

    /** The listing row. */
    Row toRow() {
        return RowFactory.create(key, uri, size, modifiedMillis);
    }

    /** Reads a listing row. */
    static InputImage fromRow(Row row) {
        return new InputImage(row.getString(0), row.getString(1), row.getLong(2), row.getLong(3));
    }
}
