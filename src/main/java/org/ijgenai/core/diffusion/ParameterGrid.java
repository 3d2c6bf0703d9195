package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.GenAiException;

/**
 * An X/Y/Z sweep of generation parameters as A1111's {@code xyz_grid} script makes it: up to three axes over seed,
 * guidance, steps, scheduler, strength or prompt search/replace ("Prompt S/R": the first value is searched in the
 * prompt and replaced by each value in turn). Cell i has the X index varying fastest; each cell's request is the
 * base request with its axis values set, so it is exactly what the single command makes with those parameters;
 * {@link GridRun} makes the cells.
 */
public final class ParameterGrid {

    /** The most cells one grid may have, so that a typo cannot start hours of work. */
    public static final int MAX_CELLS = 400;

    /** What an axis varies. */
    public enum Kind {
        /** The seed. */
        SEED,
        /** The guidance scale. */
        GUIDANCE,
        /** The step count. */
        STEPS,
        /** The scheduler name. */
        SCHEDULER,
        /** img2img's strength. */
        STRENGTH,
        /** Prompt search/replace. */
        PROMPT_SR;

        /** The kind named {@code seed}, {@code cfg}/{@code guidance}, {@code steps}, {@code scheduler}, … */
        static Kind of(String name) {
            switch (name.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_').replace("/", "")) {
                case "seed":
                    return SEED;
                case "cfg":
                case "guidance":
                case "cfg_scale":
                    return GUIDANCE;
                case "steps":
                    return STEPS;
                case "scheduler":
                case "sampler":
                    return SCHEDULER;
                case "strength":
                case "denoising_strength":
                    return STRENGTH;
                case "prompt_sr":
                case "promptsr":
                case "sr":
                    return PROMPT_SR;
                default:
                    throw new GenAiException("unknown grid axis '" + name
                            + "'; axes are seed, cfg, steps, scheduler, strength, prompt_sr");
            }
        }
    }

    /**
     * One axis: what it varies and its values, as written ("seed=1,2,3").
     *
     * @param kind what the axis varies
     * @param values its values as text, at least one
     */
    public record Axis(Kind kind, List<String> values) {

        /** Checks every value now, so that a bad one fails before any generation. */
        public Axis {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new GenAiException("grid axis " + kind + " has no values");
            }
            for (String v : values) {
                check(kind, v);
            }
            if (kind == Kind.PROMPT_SR && values.get(0).isEmpty()) {
                throw new GenAiException("grid axis prompt_sr: the first value is the text to search for and must"
                        + " not be empty (the others may be, to remove it)");
            }
        }

        /** Parses {@code name=v1,v2,…}. */
        public static Axis parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new GenAiException("grid axis '" + spec + "' must be written name=value1,value2,…");
            }
            List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",")) {
                values.add(v.strip());
            }
            return new Axis(Kind.of(spec.substring(0, eq)), values);
        }

        /** The header text of value i: "Seed: 3", "CFG scale: 7.5", or the replacement for Prompt S/R. */
        public String label(int i) {
            String v = values.get(i);
            return switch (kind) {
                case SEED -> "Seed: " + v;
                case GUIDANCE -> "CFG scale: " + v;
                case STEPS -> "Steps: " + v;
                case SCHEDULER -> "Scheduler: " + Schedulers.canonicalName(v);
                case STRENGTH -> "Strength: " + v;
                case PROMPT_SR -> v;
            };
        }

        /** The request with value i of this axis set. */
        GenerationRequest apply(GenerationRequest r, int i) {
            String v = values.get(i);
            return switch (kind) {
                case SEED -> r.withSeed(Long.parseLong(v));
                case GUIDANCE -> r.withGuidance(Double.parseDouble(v));
                case STEPS -> r.withSteps(Integer.parseInt(v));
                case SCHEDULER -> r.withScheduler(Schedulers.canonicalName(v));
                case STRENGTH -> r.withStrength(Double.parseDouble(v));
                case PROMPT_SR -> {
                    List<String> prompts = new ArrayList<>();
                    for (String p : r.prompts()) {
                        if (!p.contains(values.get(0))) {
                            throw new GenAiException("Prompt S/R: the prompt \"" + p + "\" does not contain \""
                                    + values.get(0) + "\", the first value, which the others replace");
                        }
                        prompts.add(p.replace(values.get(0), v));
                    }
                    yield r.withPrompts(prompts);
                }
            };
        }

        private static void check(Kind kind, String v) {
            String axis = "grid axis " + kind.name().toLowerCase(Locale.ROOT);
            try {
                switch (kind) {
                    case SEED -> {
                        long seed = Long.parseLong(v);
                        if (seed < 0 || seed > GenerationRequest.MAX_SEED) {
                            throw new GenAiException(axis + ": seed " + v + " is outside [0, "
                                    + GenerationRequest.MAX_SEED + "]");
                        }
                    }
                    case GUIDANCE -> {
                        double g = Double.parseDouble(v);
                        if (!Double.isFinite(g) || g < 0) {
                            throw new GenAiException(axis + ": guidance " + v + " must be a number ≥ 0");
                        }
                    }
                    case STRENGTH -> {
                        double s = Double.parseDouble(v);
                        if (!(s > 0 && s <= 1)) {
                            throw new GenAiException(axis + ": strength " + v + " must be in (0, 1]");
                        }
                    }
                    case STEPS -> {
                        int steps = Integer.parseInt(v);
                        if (steps < 1 || steps > 1000) {
                            throw new GenAiException(axis + ": steps " + v + " must be in [1, 1000]");
                        }
                    }
                    case SCHEDULER -> Schedulers.canonicalName(v);
                    default -> { }
                }
            } catch (NumberFormatException e) {
                throw new GenAiException(axis + ": '" + v + "' is not a number");
            } catch (GenAiException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new GenAiException("grid axis scheduler: " + e.getMessage());
            }
        }
    }

    private final List<Axis> axes;

    /**
     * A grid over one to three axes.
     *
     * @throws GenAiException for no axis or more than three, or more cells than {@link #MAX_CELLS}
     */
    public ParameterGrid(List<Axis> axes) {
        if (axes.isEmpty() || axes.size() > 3) {
            throw new GenAiException("a grid has one to three axes (X, Y, Z), got " + axes.size());
        }
        this.axes = List.copyOf(axes);
        long cells = 1;
        for (Axis a : axes) {
            cells *= a.values().size();
        }
        if (cells > MAX_CELLS) {
            throw new GenAiException("the grid has " + cells + " cells; the limit is " + MAX_CELLS
                    + " (each cell is one generation)");
        }
    }

    /** The axes, X first. */
    public List<Axis> axes() {
        return axes;
    }

    /** The number of values along axis a, 1 when the grid has fewer axes. */
    public int size(int a) {
        return a < axes.size() ? axes.get(a).values().size() : 1;
    }

    /** The number of cells. */
    public int cells() {
        return size(0) * size(1) * size(2);
    }

    /** The {x, y, z} indices of a cell, X fastest. */
    public int[] index(int cell) {
        return new int[] {cell % size(0), cell / size(0) % size(1), cell / (size(0) * size(1))};
    }

    /** The request of a cell: the base request with the cell's axis values set, X last so it wins. */
    public GenerationRequest request(GenerationRequest base, int cell) {
        int[] at = index(cell);
        GenerationRequest r = base;
        for (int a = axes.size() - 1; a >= 0; a--) {
            r = axes.get(a).apply(r, at[a]);
        }
        return r;
    }

    /** A cell's slice label: its axis values, X first, e.g. "Seed: 2 · CFG scale: 7.5 · yellow". */
    public String label(int cell) {
        int[] at = index(cell);
        StringBuilder label = new StringBuilder();
        for (int a = 0; a < axes.size(); a++) {
            label.append(a > 0 ? " · " : "").append(axes.get(a).label(at[a]));
        }
        return label.toString();
    }

    /**
     * The parameters of the whole grid: those of its first cell without the values the axes vary, plus each axis
     * as {@code grid_x}, {@code grid_y}, {@code grid_z} ("seed=1,2,3").
     */
    public Map<String, String> describe(Map<String, String> first) {
        Map<String, String> parameters = new LinkedHashMap<>(first);
        for (Axis axis : axes) {
            parameters.remove(switch (axis.kind()) {
                case SEED -> "seed";
                case GUIDANCE -> "guidance";
                case STEPS -> "steps";
                case SCHEDULER -> "scheduler";
                case STRENGTH -> "strength";
                case PROMPT_SR -> "prompt";
            });
        }
        for (int a = 0; a < axes.size(); a++) {
            Axis axis = axes.get(a);
            parameters.put("grid_" + "xyz".charAt(a), axis.kind().name().toLowerCase(Locale.ROOT) + "="
                    + String.join(",", axis.values()));
        }
        return parameters;
    }

    /** Whether an axis varies this kind. */
    public boolean varies(Kind kind) {
        return axes.stream().anyMatch(a -> a.kind() == kind);
    }
}
