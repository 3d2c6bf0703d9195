package org.ijgenai.core.catalog;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ijgenai.core.GenAiException;

/**
 * Reads the external-data locations of an ONNX model with a small streaming protobuf reader, so a {@code model.onnx}
 * that points its weights outside its own folder is caught before ONNX Runtime opens it. The reader only descends
 * into the messages that can hold tensors and skips every other field, raw weights included, without reading it.
 */
public final class OnnxExternalData {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_STRING = 1 << 16;

    /** The ONNX messages (onnx.proto) that can contain a TensorProto somewhere below them. */
    private enum Message {
        MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SPARSE_TENSOR, FUNCTION, TRAINING_INFO, OTHER
    }

    private OnnxExternalData() {}

    /**
     * The distinct "location" values of every tensor stored as external data, in file order.
     *
     * @throws GenAiException when the file is not a readable ONNX protobuf
     */
    public static List<String> locations(Path onnxFile) {
        Set<String> found = new LinkedHashSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnxFile), 1 << 16)) {
            Reader reader = new Reader(in);
            reader.message(Message.MODEL, Files.size(onnxFile), 0, found);
        } catch (MalformedException | EOFException e) {
            throw new GenAiException(onnxFile + " is not a valid ONNX file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw GenAiException.io("reading the ONNX file " + onnxFile, e);
        }
        return new ArrayList<>(found);
    }

    /**
     * Checks that every external-data location of {@code onnxFile} names a file inside {@code modelFolder}
     * (lexically and after resolving symbolic links) and, when {@code mustExist}, that the file is there.
     *
     * @throws GenAiException naming the model file and the offending location
     */
    public static List<String> requireInside(Path onnxFile, Path modelFolder, boolean mustExist) {
        List<String> locations = locations(onnxFile);
        Path base = modelFolder.toAbsolutePath().normalize();
        Path dir = onnxFile.toAbsolutePath().normalize().getParent();
        for (String location : locations) {
            String problem;
            try {
                problem = locationProblem(location, dir, base, mustExist);
            } catch (IOException e) {
                throw GenAiException.io("checking the external data '" + ModelName.printable(location) + "' of "
                        + onnxFile, e);
            }
            if (problem != null) {
                throw new GenAiException(onnxFile + " refers to external data '" + ModelName.printable(location)
                        + "', which " + problem + "; refusing to use this model");
            }
        }
        return locations;
    }

    private static String locationProblem(String location, Path dir, Path base, boolean mustExist)
            throws IOException {
        if (location.isEmpty() || location.indexOf('\0') >= 0) {
            return "is empty or contains a NUL character";
        }
        if (location.startsWith("/") || location.startsWith("\\") || location.contains(":")) {
            return "is an absolute path";
        }
        Path resolved = dir.resolve(Paths.get(location.replace('\\', '/'))).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            return "lies outside the model folder " + base;
        }
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            Path real = resolved.toRealPath();
            Path realBase = base.toRealPath();
            if (!real.startsWith(realBase)) {
                return "is a link to " + real + " outside the model folder";
            }
        } else if (mustExist) {
            return "is missing";
        }
        return null;
    }

    /** A protobuf input that knows its position, so nested messages can be bounded by their length. */
    private static final class Reader {
        private final InputStream in;
        private long position;

        Reader(InputStream in) {
            this.in = in;
        }

        void message(Message type, long end, int depth, Set<String> found) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new MalformedException("nesting deeper than " + MAX_DEPTH);
            }
            boolean external = false;
            List<String> tensorLocations = type == Message.TENSOR ? new ArrayList<>() : null;
            while (position < end) {
                long tag = varint();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field <= 0) {
                    throw new MalformedException("field number 0 at byte " + position);
                }
                switch (wire) {
                    case WIRE_VARINT -> {
                        long value = varint();
                        if (type == Message.TENSOR && field == 14 && value == 1) {
                            external = true;
                        }
                    }
                    case WIRE_FIXED64 -> skip(8);
                    case WIRE_FIXED32 -> skip(4);
                    case WIRE_LENGTH -> {
                        long length = varint();
                        if (length < 0 || position + length > end) {
                            throw new MalformedException("field " + field + " runs past its message at byte "
                                    + position);
                        }
                        long childEnd = position + length;
                        if (type == Message.TENSOR && field == 13) {
                            String location = locationOf(childEnd);
                            if (location != null) {
                                tensorLocations.add(location);
                            }
                        } else {
                            Message child = child(type, field);
                            if (child == Message.OTHER) {
                                skip(length);
                            } else {
                                message(child, childEnd, depth + 1, found);
                            }
                        }
                        if (position != childEnd) {
                            throw new MalformedException("field " + field + " has an inconsistent length");
                        }
                    }
                    default -> throw new MalformedException("unsupported wire type " + wire + " at byte " + position);
                }
            }
            if (position != end) {
                throw new MalformedException("message overruns its length");
            }
            // A location entry without data_location=EXTERNAL is still honoured by some loaders; report both.
            if (tensorLocations != null && (external || !tensorLocations.isEmpty())) {
                found.addAll(tensorLocations);
            }
        }

        /** Reads a StringStringEntryProto and returns its value when its key is "location". */
        private String locationOf(long end) throws IOException {
            String key = null;
            String value = null;
            while (position < end) {
                long tag = varint();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (wire == WIRE_LENGTH) {
                    long length = varint();
                    if (length < 0 || position + length > end) {
                        throw new MalformedException("external_data entry runs past its end");
                    }
                    if ((field == 1 || field == 2) && length <= MAX_STRING) {
                        String text = new String(bytes((int) length), StandardCharsets.UTF_8);
                        if (field == 1) {
                            key = text;
                        } else {
                            value = text;
                        }
                    } else {
                        skip(length);
                    }
                } else if (wire == WIRE_VARINT) {
                    varint();
                } else if (wire == WIRE_FIXED64) {
                    skip(8);
                } else if (wire == WIRE_FIXED32) {
                    skip(4);
                } else {
                    throw new MalformedException("unsupported wire type " + wire + " in external_data");
                }
            }
            return "location".equals(key) ? (value == null ? "" : value) : null;
        }

        private static Message child(Message parent, int field) {
            return switch (parent) {
                case MODEL -> field == 7 ? Message.GRAPH : field == 20 ? Message.TRAINING_INFO
                        : field == 25 ? Message.FUNCTION : Message.OTHER;
                case TRAINING_INFO -> field == 1 || field == 2 ? Message.GRAPH : Message.OTHER;
                case GRAPH -> field == 1 ? Message.NODE : field == 5 ? Message.TENSOR
                        : field == 15 ? Message.SPARSE_TENSOR : Message.OTHER;
                case NODE -> field == 5 ? Message.ATTRIBUTE : Message.OTHER;
                case FUNCTION -> field == 7 ? Message.NODE : field == 11 ? Message.ATTRIBUTE : Message.OTHER;
                case ATTRIBUTE -> field == 5 || field == 10 ? Message.TENSOR : field == 6 || field == 11
                        ? Message.GRAPH : field == 22 || field == 23 ? Message.SPARSE_TENSOR : Message.OTHER;
                case SPARSE_TENSOR -> field == 1 || field == 2 ? Message.TENSOR : Message.OTHER;
                default -> Message.OTHER;
            };
        }

        private long varint() throws IOException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("file ends inside a field");
                }
                position++;
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new MalformedException("varint longer than 10 bytes");
        }

        private byte[] bytes(int length) throws IOException {
            byte[] data = in.readNBytes(length);
            if (data.length != length) {
                throw new EOFException("file ends inside a string");
            }
            position += length;
            return data;
        }

        private void skip(long length) throws IOException {
            long remaining = length;
            while (remaining > 0) {
                long skipped = in.skip(remaining);
                if (skipped <= 0) {
                    // skip() may return 0 at EOF or for streams that cannot seek; read one byte to tell which.
                    if (in.read() < 0) {
                        throw new EOFException("file ends inside a field");
                    }
                    skipped = 1;
                }
                remaining -= skipped;
            }
            position += length;
        }
    }

    /** A structural error in the protobuf encoding. */
    private static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }
}
