package org.ijgenai.core.diffusion;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;

/**
 * The process-wide cache of opened Stable Diffusion models, so that consecutive commands reuse loaded sessions.
 * It keeps the most recently used models within a memory budget (estimated from their weight files) and never
 * closes a model while a generation holds it.
 */
public final class ModelCache {

    // Half the RAM by default is a caching policy, not a limit: a 10 GB SDXL UNet must still load on a 16 GB
    // computer. A budget the user sets (the property, or Unload Models) also limits one model's networks.
    private static final ModelCache SHARED = new ModelCache(defaultBudget(),
            Long.getLong("ijgenai.cache.mib") != null);

    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long budgetBytes;
    private boolean limitsNetworks;

    /**
     * Creates a cache with a budget in bytes, which also limits the networks one model loads at once
     * ({@link StableDiffusionModel#limitMemory}).
     */
    public ModelCache(long budgetBytes) {
        setBudgetBytes(budgetBytes);
    }

    private ModelCache(long budgetBytes, boolean limitsNetworks) {
        setBudgetBytes(budgetBytes);
        this.limitsNetworks = limitsNetworks;
    }

    /** The cache shared by every command of this process. */
    public static ModelCache shared() {
        return SHARED;
    }

    /**
     * The budget from the system property {@code ijgenai.cache.mib} (MiB), else half of the physical memory, or
     * 4 GiB when the JVM cannot tell.
     */
    static long defaultBudget() {
        Long configured = Long.getLong("ijgenai.cache.mib");
        if (configured != null && configured > 0) {
            return configured << 20;
        }
        try {
            var os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
                return bean.getTotalMemorySize() / 2;
            }
        } catch (RuntimeException | LinkageError e) {
            // Fall through to the fixed budget.
        }
        return 4L << 30;
    }

    /** The memory budget in bytes. */
    public synchronized long budgetBytes() {
        return budgetBytes;
    }

    /** Changes the memory budget; idle models beyond it are unloaded at once. */
    public synchronized void setBudgetBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, was " + bytes);
        }
        budgetBytes = bytes;
        limitsNetworks = true;
        evict(0);
    }

    /**
     * Borrows the model at {@code root} with {@code settings}, opening it when it is not cached; close the lease
     * when the generation ends.
     */
    public synchronized Lease lease(Path root, SessionSettings settings) {
        Key key = new Key(root.toAbsolutePath().normalize(), settings);
        Entry entry = entries.get(key);
        if (entry == null || entry.model.isClosed()) {
            ModelFolder folder = ModelFolder.open(root);
            long bytes = folder.weightBytes();
            evict(bytes);
            entry = new Entry(new StableDiffusionModel(folder, settings), bytes);
            entries.put(key, entry);
        }
        if (limitsNetworks) {
            entry.model.limitMemory(budgetBytes);
        }
        entry.users++;
        return new Lease(this, entry);
    }

    private synchronized void release(Entry entry) {
        entry.users--;
        evict(0);
    }

    private void evict(long incoming) {
        long used = incoming;
        for (Entry e : entries.values()) {
            used += e.bytes;
        }
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (used > budgetBytes && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.users == 0) {
                e.model.close();
                used -= e.bytes;
                it.remove();
            }
        }
    }

    /**
     * Unloads every model no generation is using.
     *
     * @return how many models were unloaded
     */
    public synchronized int unloadAll() {
        int count = 0;
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.users == 0) {
                e.model.close();
                it.remove();
                count++;
            }
        }
        return count;
    }

    /** One line per cached model: folder, estimated size, and whether it is in use. */
    public synchronized List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            lines.add(e.getKey().root + " (" + (e.getValue().bytes >> 20) + " MiB"
                    + (e.getValue().users > 0 ? ", in use)" : ")"));
        }
        return lines;
    }

    private record Key(Path root, SessionSettings settings) {}

    private static final class Entry {
        final StableDiffusionModel model;
        final long bytes;
        int users;

        Entry(StableDiffusionModel model, long bytes) {
            this.model = model;
            this.bytes = bytes;
        }
    }

    /** A borrowed model, returned to the cache on {@link #close()}. */
    public static final class Lease implements AutoCloseable {
        private final ModelCache cache;
        private final Entry entry;
        private boolean released;

        private Lease(ModelCache cache, Entry entry) {
            this.cache = cache;
            this.entry = entry;
        }

        /** The borrowed model. */
        public StableDiffusionModel model() {
            if (released) {
                throw new GenAiException("model lease already returned");
            }
            return entry.model;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                cache.release(entry);
            }
        }
    }
}
