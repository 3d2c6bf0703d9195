package org.ijgenai.core.io;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.HalfFloat;

/**
 * Reads numpy's {@code .npy} format (header versions 1, 2 and 3; C order; boolean, integer and floating-point
 * dtypes of either byte order) into {@link NpyArray}s. See {@link NpzArchive} for {@code .npz} files.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DTYPE = Pattern.compile("([<>|=]?)(b1|[iu][1248]|f[248])");

    private Npy() {
    }

    /** Reads one {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one array from a stream positioned at the start of its {@code .npy} data.
     *
     * @param source names the file (or archive entry) in error messages
     * @throws GenAiException when the data is not a readable {@code .npy} array
     */
    public static NpyArray read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            for (int i = 0; i < MAGIC.length; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw new GenAiException(source + " is not a .npy file (it does not start with \\x93NUMPY)");
                }
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte(); // minor version: no meaning for reading
            long headerLength;
            if (major == 1) {
                headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new GenAiException(source + " uses .npy format version " + major
                        + ", only versions 1, 2 and 3 are supported");
            }
            if (headerLength > 1 << 24) {
                throw new GenAiException(source + " has an implausible .npy header length " + headerLength);
            }
            byte[] headerBytes = new byte[(int) headerLength];
            in.readFully(headerBytes);
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            return readBody(in, header, source);
        } catch (EOFException e) {
            throw new GenAiException(source + " is truncated: the .npy data ends early", e);
        }
    }

    /** Reads one array from the bytes of a whole {@code .npy} file. */
    public static NpyArray read(byte[] npy, String source) {
        try {
            return read(new ByteArrayInputStream(npy), source);
        } catch (IOException e) {
            throw new GenAiException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static NpyArray readBody(DataInputStream in, String header, String source) throws IOException {
        String descr = group(DESCR, header, "descr", source);
        if ("True".equals(group(FORTRAN, header, "fortran_order", source))) {
            throw new GenAiException(source + " stores its array in Fortran order; save it in C order "
                    + "(numpy.ascontiguousarray) to read it here");
        }
        long[] shape = parseShape(group(SHAPE, header, "shape", source), source);
        Matcher type = DTYPE.matcher(descr);
        if (!type.matches()) {
            throw new GenAiException(source + " has dtype '" + descr + "'; supported are bool, int8-64, uint8-64,"
                    + " float16, float32 and float64");
        }
        ByteOrder order = ">".equals(type.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String dtype = type.group(2);
        char kind = dtype.charAt(0);
        int width = dtype.charAt(1) - '0';
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count * width > Integer.MAX_VALUE - 8) {
            throw new GenAiException(source + " holds " + count + " elements of " + width
                    + " bytes, too many for one Java array");
        }
        byte[] raw = new byte[(int) (count * width)];
        in.readFully(raw);
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(order);
        int n = (int) count;
        switch (dtype) {
            case "f2": {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloat.toFloat(buffer.getShort());
                }
                return new NpyArray(dtype, shape, out);
            }
            case "f4": {
                float[] out = new float[n];
                buffer.asFloatBuffer().get(out);
                return new NpyArray(dtype, shape, out);
            }
            case "f8": {
                double[] out = new double[n];
                buffer.asDoubleBuffer().get(out);
                return new NpyArray(dtype, shape, out);
            }
            case "i8":
            case "u8": {
                long[] out = new long[n];
                buffer.asLongBuffer().get(out);
                return new NpyArray(dtype, shape, out);
            }
            case "u4": {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toUnsignedLong(buffer.getInt());
                }
                return new NpyArray(dtype, shape, out);
            }
            case "i4": {
                int[] out = new int[n];
                buffer.asIntBuffer().get(out);
                return new NpyArray(dtype, shape, out);
            }
            default:
                return new NpyArray(dtype, shape, smallIntegers(buffer, kind, width, n));
        }
    }

    private static int[] smallIntegers(ByteBuffer buffer, char kind, int width, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (width == 1) {
                byte b = buffer.get();
                out[i] = kind == 'i' ? b : Byte.toUnsignedInt(b);
            } else {
                short s = buffer.getShort();
                out[i] = kind == 'i' ? s : Short.toUnsignedInt(s);
            }
            if (kind == 'b' && out[i] != 0) {
                out[i] = 1;
            }
        }
        return out;
    }

    private static String group(Pattern pattern, String header, String key, String source) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new GenAiException(source + " has a .npy header without a readable '" + key + "' entry: "
                    + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text, String source) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("L")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1); // Python 2 long literal
            }
            try {
                long d = Long.parseLong(trimmed);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new GenAiException(source + " has an invalid shape (" + text + ") in its .npy header", e);
            }
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }
}
