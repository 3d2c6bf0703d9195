package org.ijgenai.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * The models of one executor JVM, loaded once and reused by every task that runs there. Spark keeps an executor's
 * JVM for the whole application and runs tasks on its threads, so a JVM-wide pool is the one place a loaded model
 * can outlive a task; each concurrently running task borrows its own instance (a DJL predictor is not meant to be
 * shared between threads), so an executor holds at most one model per core.
 */
final class ExecutorModels {

    /** Free models by key (model path and session settings). */
    private static final Map<String, ConcurrentLinkedDeque<AutoCloseable>> FREE = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /** A borrowed model, returned to the pool on close. */
    static final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final String key;
        private final T model;

        private Lease(String key, T model) {
            this.key = key;
            this.model = model;
        }

        T get() {
            return model;
        }

        @Override
        public void close() {
            FREE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(model);
        }
    }

    /** A free model for {@code key}, or a new one from {@code open} when every loaded one is in use. */
    @SuppressWarnings("unchecked")
    static <T extends AutoCloseable> Lease<T> borrow(String key, Supplier<T> open) {
        AutoCloseable free = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).poll();
        return new Lease<>(key, free != null ? (T) free : open.get());
    }

    /** How many models are loaded and free for {@code key} (for tests of reuse). */
    static int freeCount(String key) {
        ConcurrentLinkedDeque<AutoCloseable> free = FREE.get(key);
        return free == null ? 0 : free.size();
    }
}
