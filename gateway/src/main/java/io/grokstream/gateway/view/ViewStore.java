package io.grokstream.gateway.view;

import org.apache.kafka.common.TopicPartition;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The gateway's views on disk: one RocksDB database, a column family per kind of entry ({@link Family}). Every
 * fold step is one {@link Batch}, written atomically with the offset of the record it folded, so the offsets a
 * restart resumes from always describe exactly what the store holds. RocksDB's block cache (an LRU of
 * {@code blockCacheBytes}) and its write buffers ({@code writeBufferBytes} per family) bound what it keeps in heap
 * and native memory; histories and payloads are read from disk on demand.
 */
public final class ViewStore implements AutoCloseable {
    /** What each column family holds; keys are {@link #key(String)} or {@link #stepKey(String, long)}. */
    public enum Family {
        /** Consumed offsets ({@code offset|topic|partition}) and counters. */
        META,
        /** One experiment's state without its histories, by experiment. */
        EXPERIMENTS,
        /** Metric history rows, by (experiment, step). */
        METRICS,
        /** Measure history rows without spectra, by (experiment, step). */
        MEASURES,
        /** The spectra of each measured step, by (experiment, step). */
        SPECTRA,
        /** The latest ProgressMeasured in full (grids included), by experiment. */
        LATEST,
        /** Stored snapshots' sizes, by (experiment, step). */
        SNAPSHOTS,
        /** CloudEvents ids already folded (deduplication). */
        SEEN,
        /** The task catalog, by task id. */
        TASKS,
        /** Dead letters in arrival order, by sequence number. */
        DEAD_LETTERS,
        /** Coordinates already dead-lettered, by consumer|topic|partition|offset. */
        DEAD_LETTERED
    }

    private static final String OFFSET = "offset|";

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final LRUCache cache;
    private final WriteOptions writeOptions = new WriteOptions();
    private final Map<Family, ColumnFamilyHandle> handles = new EnumMap<>(Family.class);
    private final List<ColumnFamilyHandle> allHandles = new ArrayList<>();

    private ViewStore(Path directory, long blockCacheBytes, long writeBufferBytes) throws RocksDBException {
        this.directory = directory;
        this.cache = new LRUCache(blockCacheBytes);
        this.familyOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(writeBufferBytes)
                .setMaxWriteBufferNumber(2)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
                        .setFilterPolicy(new BloomFilter(10)).setCacheIndexAndFilterBlocks(true));
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(256);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
        for (Family f : Family.values()) {
            descriptors.add(new ColumnFamilyDescriptor(f.name().toLowerCase().getBytes(StandardCharsets.UTF_8),
                    familyOptions));
        }
        this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, allHandles);
        for (Family f : Family.values()) {
            handles.put(f, allHandles.get(f.ordinal() + 1));
        }
    }

    /**
     * Opens (or creates) the store in {@code directory}; only one process may hold it (RocksDB's lock file), so two
     * gateways need two directories.
     */
    public static ViewStore open(Path directory, long blockCacheBytes, long writeBufferBytes) {
        try {
            Files.createDirectories(directory);
            return new ViewStore(directory, blockCacheBytes, writeBufferBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the view store directory " + directory, e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the view store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A new, empty batch: nothing is written until {@link #write}. */
    public Batch batch() {
        return new Batch();
    }

    /** Writes the batch atomically: all of it or none. */
    public void write(Batch batch) {
        try {
            db.write(writeOptions, batch.writes);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to the view store: " + e.getMessage(), e);
        }
    }

    public byte[] get(Family family, byte[] key) {
        try {
            return db.get(handles.get(family), key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the view store: " + e.getMessage(), e);
        }
    }

    public boolean contains(Family family, byte[] key) {
        return get(family, key) != null;
    }

    /** Every entry of one experiment in a (experiment, step) family with {@code from <= step <= to}, by step. */
    public void steps(Family family, String experimentId, long from, long to, BiConsumer<Long, byte[]> each) {
        byte[] upper = to == Long.MAX_VALUE ? prefixEnd(experimentId) : stepKey(experimentId, to + 1);
        try (Slice bound = new Slice(upper); ReadOptions ro = new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = db.newIterator(handles.get(family), ro)) {
            for (it.seek(stepKey(experimentId, Math.max(0, from))); it.isValid(); it.next()) {
                byte[] k = it.key();
                each.accept(ByteBuffer.wrap(k, k.length - Long.BYTES, Long.BYTES).getLong(), it.value());
            }
        }
    }

    /** Every entry of a family, in key order. */
    public void forEach(Family family, BiConsumer<byte[], byte[]> each) {
        try (RocksIterator it = db.newIterator(handles.get(family))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                each.accept(it.key(), it.value());
            }
        }
    }

    /** The next offset to read per partition, as the last written batch left them. */
    public Map<TopicPartition, Long> offsets() {
        Map<TopicPartition, Long> out = new HashMap<>();
        forEach(Family.META, (k, v) -> {
            String key = new String(k, StandardCharsets.UTF_8);
            if (key.startsWith(OFFSET)) {
                int bar = key.lastIndexOf('|');
                out.put(new TopicPartition(key.substring(OFFSET.length(), bar), Integer.parseInt(key.substring(bar + 1))),
                        ByteBuffer.wrap(v).getLong());
            }
        });
        return out;
    }

    /** The next offset to read on one partition (0: none stored). */
    public long offset(String topic, int partition) {
        return longOf(get(Family.META, key(OFFSET + topic + "|" + partition)));
    }

    /** Bytes of the store's files on disk (SST files, logs, manifest). */
    public long diskBytes() {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : allHandles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        familyOptions.close();
        cache.close();
    }

    public static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code experiment, 0, step as 8 big-endian bytes}: one experiment's entries sort by step (steps are >= 0). */
    public static byte[] stepKey(String experimentId, long step) {
        byte[] id = key(experimentId);
        return ByteBuffer.allocate(id.length + 1 + Long.BYTES).put(id).put((byte) 0).putLong(step).array();
    }

    private static byte[] prefixEnd(String experimentId) {
        byte[] id = key(experimentId);
        return ByteBuffer.allocate(id.length + 1).put(id).put((byte) 1).array();
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }

    static long longOf(byte[] v) {
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /** The writes of one fold step, with the offset of the record folded; {@link #write} applies them at once. */
    public final class Batch implements AutoCloseable {
        private final WriteBatch writes = new WriteBatch();

        @Override
        public void close() {
            writes.close();
        }

        public Batch put(Family family, byte[] key, byte[] value) {
            try {
                writes.put(handles.get(family), key, value);
                return this;
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Records that the next record to read on {@code topic}/{@code partition} is {@code next}. */
        public Batch offset(String topic, int partition, long next) {
            return put(Family.META, key(OFFSET + topic + "|" + partition), longBytes(next));
        }
    }
}
