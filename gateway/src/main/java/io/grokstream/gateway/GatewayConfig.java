package io.grokstream.gateway;

import io.grokstream.contracts.NandaPreset;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * The gateway's typed configuration ({@code grokstream.gateway.*}): team keys (SHA-256 hex only), limits,
 * where the dataset and analysis services live, where snapshots and the views' store are kept.
 */
@ConfigMapping(prefix = "grokstream.gateway")
public interface GatewayConfig {

    /** Base URL of the dataset service; inline task requests are forwarded to its {@code POST /tasks}. */
    @WithDefault("http://localhost:8081")
    String datasetUrl();

    /**
     * Base URL of the analysis service; a team's retrospective measures are forwarded to its
     * {@code GET /admin/retrospective/{id}}.
     */
    @WithDefault("http://localhost:8083")
    String analysisUrl();

    /** SHA-256 hex of the operators' key: reads every team's experiments and the dead letters. */
    String adminKeySha256();

    /** Teams by name, each with the SHA-256 hex of its API key. */
    Map<String, Team> teams();

    RateLimit rateLimit();

    /** Largest request body accepted, in bytes (413 above it). */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** Most experiments one sweep may create. */
    @WithDefault("16")
    int maxSweepSize();

    /** Step budget of an experiment that names none (Nanda's 40,000 by default). */
    @WithDefault("" + NandaPreset.STEPS)
    long defaultMaxSteps();

    /** Catalog id prefix of the task used when a request names none (Nanda's p = 113 addition). */
    @WithDefault("modular-add-p113-")
    String defaultTaskPrefix();

    /** Timeout of a forwarded dataset-service request, in milliseconds. */
    @WithDefault("10000")
    long datasetTimeoutMillis();

    /**
     * Timeout of a forwarded retrospective request, in milliseconds: the analysis service measures every stored
     * snapshot before it answers (minutes for a long run).
     */
    @WithDefault("900000")
    long analysisTimeoutMillis();

    Snapshots snapshots();

    Store store();

    Inference inference();

    /** Where {@code ./grokstream reproduce} writes its reports, served under {@code /reports}. */
    @WithDefault("reports")
    String reportsDirectory();

    /** Dead letters kept in memory for the admin view (newest). */
    @WithDefault("1000")
    int maxDeadLetters();

    Webhooks webhooks();

    /**
     * The teams' webhooks (alerts, issue 19): whether they may point at private, loopback or link-local addresses
     * (off in production: a webhook must not be a door into the platform's own network, SSRF), how a failed delivery
     * is retried (connection errors, 408, 429 and 5xx: {@code initialDelayMillis} times {@code backoffFactor} to the
     * power of the attempts so far, up to {@code maxAttempts} attempts), the HTTP timeouts, how many webhooks a team
     * may have, and how many attempts the delivery log keeps per webhook.
     */
    interface Webhooks {
        @WithDefault("false")
        boolean allowPrivateTargets();

        @WithDefault("5000")
        long initialDelayMillis();

        @WithDefault("4")
        double backoffFactor();

        @WithDefault("5")
        int maxAttempts();

        @WithDefault("5000")
        long connectTimeoutMillis();

        @WithDefault("10000")
        long requestTimeoutMillis();

        @WithDefault("20")
        int maxPerTeam();

        @WithDefault("200")
        int logSize();
    }

    /** A team: the SHA-256 hex of its key. */
    interface Team {
        String keySha256();
    }

    /** A token bucket per API key: {@code capacity} requests at once, refilled at {@code refillPerSecond}. */
    interface RateLimit {
        @WithDefault("60")
        double capacity();

        @WithDefault("20")
        double refillPerSecond();
    }

    /** Snapshots are kept on disk, one file per (experiment, step), up to {@code maxDiskBytes}. */
    interface Snapshots {
        @WithDefault("${java.io.tmpdir}/grokstream-gateway/snapshots")
        String directory();

        @WithDefault("21474836480")
        long maxDiskBytes();
    }

    /**
     * The views' RocksDB store: its own directory per gateway process (RocksDB locks it), the block cache (an LRU
     * of recently read blocks) and the write buffer of each column family, which bound the store's memory.
     */
    interface Store {
        @WithDefault("${java.io.tmpdir}/grokstream-gateway/views")
        String directory();

        @WithDefault("67108864")
        long blockCacheBytes();

        @WithDefault("8388608")
        long writeBufferBytes();
    }

    /** ONNX Runtime sessions cached up to {@code sessionCacheBytes} of model bytes; rows per inference call. */
    interface Inference {
        @WithDefault("268435456")
        long sessionCacheBytes();

        @WithDefault("16384")
        int maxRows();
    }
}
