package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.spi.Hsm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2ClientBuilder;
import software.amazon.awssdk.services.cloudhsmv2.model.CopyBackupToRegionRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.CopyBackupToRegionResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.CreateHsmRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteBackupRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteClusterRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteHsmRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.RestoreBackupRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.TagResourceRequest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The {@link BackupStore} port implemented with the AWS SDK for Java v2 {@link CloudHsmV2Client}, one client per
 * region.
 *
 * <h2>Clients</h2>
 * Either the store builds its clients ({@link #create()}, or a {@link #builder()} without
 * {@link Builder#clientFactory(Function)}): one per region, created on first use, using the
 * {@code url-connection-client} HTTP client, and closed by {@link #close()}. Or the caller supplies them with
 * {@link Builder#clientFactory(Function)} or {@link Builder#clients(Map)}: the store asks for a region's client
 * once, keeps it, and never closes it.
 *
 * <h2>Retries</h2>
 * The library owns the retry budget ({@code RetryPolicy}); the store makes exactly one attempt per call. Clients
 * the store builds use {@link AwsRetryStrategy#doNotRetry()}, so the SDK never retries behind the library's back.
 * Clients the caller supplies keep their own retry settings: with the SDK's default strategy every attempt the
 * library makes becomes up to three (standard mode) or four (legacy mode) HTTP requests, so the attempts multiply.
 * Build such clients with {@code overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))}
 * unless that is what you want.
 *
 * <h2>Paging and filters</h2>
 * Every list is read to the end with the SDK paginators ({@code MaxResults} 50 for backups, 25 for clusters, 100
 * for tags); a listing whose service answers a NextToken it already gave fails as
 * {@link ServiceErrorKind#BAD_RESPONSE} instead of reading the same pages forever. A {@link BackupFilter}
 * becomes the DescribeBackups {@code Filters} map (keys {@code backupIds},
 * {@code sourceBackupIds}, {@code clusterIds}, {@code states}, {@code neverExpires}; empty parts are left out),
 * with {@code SortAscending=true}. The service does not document how many values one filter key accepts, so
 * {@code backupIds} and {@code sourceBackupIds} are sent in chunks of at most {@value #MAX_FILTER_VALUES} values;
 * the results of the chunked requests are merged without duplicates and ordered by creation time. A filter on
 * {@link BackupState#UNKNOWN} (which has no wire value) is applied by the store after reading.
 *
 * <h2>Errors</h2>
 * Every failure, SDK exception or not, is thrown as a {@link BackupServiceException} naming the operation, region
 * and backup or cluster, with a {@link ServiceErrorKind}: service errors are classified by error code and HTTP
 * status with {@link AwsErrorCodes#kindOf(String, int)} (throttling by the SDK's own test), timeouts and
 * I/O errors are {@link ServiceErrorKind#NETWORK}, unreadable responses {@link ServiceErrorKind#BAD_RESPONSE}.
 * The SDK exception is the cause. Fields the service leaves out never fail a call: unknown enum values read as
 * {@link BackupState#UNKNOWN} or as text, a missing NeverExpires as false, and a backup or cluster without an id
 * is skipped with a warning.
 *
 * <p>Built stores are immutable and thread-safe; the builder is not thread-safe. Calls after {@link #close()}
 * throw {@link IllegalStateException}.
 */
public final class AwsBackupStore implements BackupStore {
    /** DescribeBackups page size, the service maximum. */
    public static final int MAX_BACKUPS_PAGE = 50;
    /** DescribeClusters page size, the service maximum. */
    public static final int MAX_CLUSTERS_PAGE = 25;
    /** Most values sent for one filter key in one DescribeBackups request. */
    public static final int MAX_FILTER_VALUES = 20;

    private static final Logger LOG = LoggerFactory.getLogger(AwsBackupStore.class);
    private static final Comparator<Backup> BY_CREATION = Comparator.comparing(Backup::createTimestamp,
            Comparator.nullsLast(Comparator.<Instant>naturalOrder())).thenComparing(Backup::backupId);

    private final Function<String, CloudHsmV2Client> clientSource;
    private final boolean ownsClients;
    private final ConcurrentMap<String, CloudHsmV2Client> clients = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    AwsBackupStore(Function<String, CloudHsmV2Client> clientSource, boolean ownsClients) {
        this.clientSource = Objects.requireNonNull(clientSource, "clientSource");
        this.ownsClients = ownsClients;
    }

    /**
     * A store that builds its own clients with the SDK's default credentials provider chain and endpoints, and
     * no SDK retries.
     *
     * @return a new store; close it when done
     */
    public static AwsBackupStore create() {
        return builder().build();
    }

    /** @return a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@value #MAX_BACKUPS_PAGE}, the page size the store asks for (the service maximum) */
    @Override
    public int maxBackupsPerPage() {
        return MAX_BACKUPS_PAGE;
    }

    /** @return {@value #MAX_FILTER_VALUES}, the ids sent for one filter key in one request */
    @Override
    public int maxFilterIdsPerRequest() {
        return MAX_FILTER_VALUES;
    }

    @Override
    public List<Backup> describeBackups(String region, BackupFilter filter) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(filter, "filter");
        return call("DescribeBackups", region, null, client -> {
            boolean filterStatesHere = filter.states().contains(BackupState.UNKNOWN);
            List<Map<String, List<String>>> requests = filterRequests(filter);
            Map<String, Backup> found = new LinkedHashMap<>();
            for (Map<String, List<String>> filters : requests) {
                LOG.debug("DescribeBackups region={} filters={}", region, filters);
                for (software.amazon.awssdk.services.cloudhsmv2.model.Backup b
                        : pages(client.describeBackupsPaginator(backupsRequest(filters, null)),
                                DescribeBackupsResponse::backups, DescribeBackupsResponse::nextToken,
                                "DescribeBackups", region, null)) {
                    Backup backup = toBackup(b, region, filter, filterStatesHere);
                    if (backup != null) {
                        found.putIfAbsent(backup.backupId(), backup);
                    }
                }
            }
            List<Backup> result = new ArrayList<>(found.values());
            if (requests.size() > 1) {
                result.sort(BY_CREATION);
            }
            LOG.debug("DescribeBackups region={} backups={}", region, result.size());
            return result;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One DescribeBackups request per call. With more than {@value #MAX_FILTER_VALUES} backup ids or source
     * backup ids, the chunked requests follow one another; the token names the chunk and the service's own
     * token.
     */
    @Override
    public BackupPage describeBackupsPage(String region, BackupFilter filter, String nextToken) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(filter, "filter");
        List<Map<String, List<String>>> requests = filterRequests(filter);
        int chunk = 0;
        String serviceToken = null;
        if (nextToken != null) {
            int bar = nextToken.indexOf('|');
            try {
                chunk = Integer.parseInt(bar < 0 ? "x" : nextToken.substring(0, bar));
            } catch (NumberFormatException e) {
                chunk = -1;
            }
            if (chunk < 0 || chunk >= requests.size()) {
                throw new IllegalArgumentException("nextToken '" + nextToken + "' is not a token of this listing");
            }
            serviceToken = nextToken.substring(bar + 1);
        }
        int current = chunk;
        String token = serviceToken == null || serviceToken.isEmpty() ? null : serviceToken;
        boolean filterStatesHere = filter.states().contains(BackupState.UNKNOWN);
        return call("DescribeBackups", region, null, client -> {
            Map<String, List<String>> filters = requests.get(current);
            LOG.debug("DescribeBackups page region={} filters={} token={}", region, filters, token != null);
            DescribeBackupsResponse response = client.describeBackups(backupsRequest(filters, token));
            List<Backup> backups = new ArrayList<>();
            for (software.amazon.awssdk.services.cloudhsmv2.model.Backup b : response.backups()) {
                Backup backup = toBackup(b, region, filter, filterStatesHere);
                if (backup != null) {
                    backups.add(backup);
                }
            }
            String next = response.nextToken() != null && !response.nextToken().isEmpty()
                    ? current + "|" + response.nextToken()
                    : current + 1 < requests.size() ? (current + 1) + "|" : null;
            return new BackupPage(backups, next);
        });
    }

    /** The Filters of each request a listing needs: id lists are sent in chunks, one request per combination. */
    private static List<Map<String, List<String>>> filterRequests(BackupFilter filter) {
        Map<String, List<String>> base = AwsMapping.baseFilters(filter);
        List<Map<String, List<String>>> requests = new ArrayList<>();
        for (List<String> backupIds : AwsMapping.chunks(filter.backupIds(), MAX_FILTER_VALUES)) {
            for (List<String> sourceIds : AwsMapping.chunks(filter.sourceBackupIds(), MAX_FILTER_VALUES)) {
                Map<String, List<String>> filters = new LinkedHashMap<>(base);
                if (!backupIds.isEmpty()) {
                    filters.put(AwsMapping.BACKUP_IDS, backupIds);
                }
                if (!sourceIds.isEmpty()) {
                    filters.put(AwsMapping.SOURCE_BACKUP_IDS, sourceIds);
                }
                requests.add(filters);
            }
        }
        return requests;
    }

    private static DescribeBackupsRequest backupsRequest(Map<String, List<String>> filters, String nextToken) {
        DescribeBackupsRequest.Builder request = DescribeBackupsRequest.builder()
                .maxResults(MAX_BACKUPS_PAGE).sortAscending(true).nextToken(nextToken);
        if (!filters.isEmpty()) {
            request.filters(filters);
        }
        return request.build();
    }

    /** @return our backup, or {@code null} when it has no id or is filtered out here (UNKNOWN state filter). */
    private static Backup toBackup(software.amazon.awssdk.services.cloudhsmv2.model.Backup b, String region,
            BackupFilter filter, boolean filterStatesHere) {
        Backup backup = AwsMapping.toBackup(b, region, null);
        if (backup == null) {
            LOG.warn("DescribeBackups in {} returned a backup without BackupId; it is ignored", region);
            return null;
        }
        return !filterStatesHere || filter.states().contains(backup.state()) ? backup : null;
    }

    @Override
    public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags) {
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        Map<String, String> copyTags = tags == null ? Map.of() : tags;
        return call("CopyBackupToRegion", sourceRegion, backupId, client -> {
            CopyBackupToRegionRequest.Builder request = CopyBackupToRegionRequest.builder()
                    .backupId(backupId).destinationRegion(destinationRegion);
            if (!copyTags.isEmpty()) {
                request.tagList(AwsMapping.tagList(copyTags));
            }
            LOG.debug("CopyBackupToRegion region={} backupId={} destinationRegion={} tags={}", sourceRegion,
                    backupId, destinationRegion, copyTags.size());
            CopyBackupToRegionResponse response = client.copyBackupToRegion(request.build());
            return AwsMapping.toCopyResult(response.destinationBackup(), sourceRegion, backupId);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the answer names no backup, the result has the requested id and state {@link BackupState#UNKNOWN}.
     */
    @Override
    public Backup deleteBackup(String region, String backupId) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(backupId, "backupId");
        return call("DeleteBackup", region, backupId, client -> {
            LOG.debug("DeleteBackup region={} backupId={}", region, backupId);
            return backupOrUnknown(
                    client.deleteBackup(DeleteBackupRequest.builder().backupId(backupId).build()).backup(),
                    region, backupId);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the answer names no backup, the result has the requested id and state {@link BackupState#UNKNOWN}.
     */
    @Override
    public Backup restoreBackup(String region, String backupId) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(backupId, "backupId");
        return call("RestoreBackup", region, backupId, client -> {
            LOG.debug("RestoreBackup region={} backupId={}", region, backupId);
            return backupOrUnknown(
                    client.restoreBackup(RestoreBackupRequest.builder().backupId(backupId).build()).backup(),
                    region, backupId);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>An empty map sends nothing (the service requires at least one tag).
     */
    @Override
    public void tagResource(String region, String resourceId, Map<String, String> tags) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(tags, "tags");
        if (tags.isEmpty()) {
            return;
        }
        call("TagResource", region, resourceId, client -> {
            LOG.debug("TagResource region={} resourceId={} keys={}", region, resourceId, tags.keySet());
            client.tagResource(TagResourceRequest.builder().resourceId(resourceId)
                    .tagList(AwsMapping.tagList(tags)).build());
            return null;
        });
    }

    @Override
    public List<Cluster> describeClusters(String region, Set<String> clusterIds) {
        Objects.requireNonNull(region, "region");
        Set<String> ids = clusterIds == null ? Set.of() : clusterIds;
        return call("DescribeClusters", region, null, client -> {
            DescribeClustersRequest.Builder request = DescribeClustersRequest.builder().maxResults(MAX_CLUSTERS_PAGE);
            if (!ids.isEmpty()) {
                request.filters(Map.of(AwsMapping.CLUSTER_IDS, AwsMapping.sorted(ids)));
            }
            LOG.debug("DescribeClusters region={} clusterIds={}", region, ids);
            List<Cluster> result = new ArrayList<>();
            for (software.amazon.awssdk.services.cloudhsmv2.model.Cluster c
                    : pages(client.describeClustersPaginator(request.build()), DescribeClustersResponse::clusters,
                            DescribeClustersResponse::nextToken, "DescribeClusters", region, null)) {
                Cluster cluster = AwsMapping.toCluster(c, region);
                if (cluster == null) {
                    LOG.warn("DescribeClusters in {} returned a cluster without ClusterId; it is ignored", region);
                } else {
                    result.add(cluster);
                }
            }
            return result;
        });
    }

    @Override
    public Cluster createCluster(CreateClusterRequest request) {
        Objects.requireNonNull(request, "request");
        String region = request.region();
        return call("CreateCluster", region, request.sourceBackupId(), client -> {
            software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterRequest.Builder sdkRequest =
                    software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterRequest.builder()
                            .sourceBackupId(request.sourceBackupId()).hsmType(request.hsmType())
                            .subnetIds(request.subnetIds());
            if (!request.tags().isEmpty()) {
                sdkRequest.tagList(AwsMapping.tagList(request.tags()));
            }
            LOG.debug("CreateCluster region={} sourceBackupId={} hsmType={} subnets={}", region,
                    request.sourceBackupId(), request.hsmType(), request.subnetIds().size());
            software.amazon.awssdk.services.cloudhsmv2.model.Cluster created =
                    client.createCluster(sdkRequest.build()).cluster();
            Cluster cluster = created == null ? null : AwsMapping.toCluster(created, region);
            if (cluster == null) {
                throw new BackupServiceException(ServiceErrorKind.BAD_RESPONSE, "CreateCluster", region,
                        request.sourceBackupId(), null, "the response names no cluster id", null);
            }
            return cluster;
        });
    }

    @Override
    public Hsm createHsm(String region, String clusterId, String availabilityZone) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        return call("CreateHsm", region, clusterId, client -> {
            LOG.debug("CreateHsm region={} clusterId={} availabilityZone={}", region, clusterId, availabilityZone);
            software.amazon.awssdk.services.cloudhsmv2.model.Hsm created = client.createHsm(CreateHsmRequest.builder()
                    .clusterId(clusterId).availabilityZone(availabilityZone).build()).hsm();
            Hsm hsm = created == null ? null : AwsMapping.toHsm(created);
            if (hsm == null) {
                throw new BackupServiceException(ServiceErrorKind.BAD_RESPONSE, "CreateHsm", region, clusterId, null,
                        "the response names no HSM id", null);
            }
            return hsm;
        });
    }

    @Override
    public void deleteHsm(String region, String clusterId, String hsmId) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(hsmId, "hsmId");
        call("DeleteHsm", region, clusterId, client -> {
            LOG.debug("DeleteHsm region={} clusterId={} hsmId={}", region, clusterId, hsmId);
            client.deleteHsm(DeleteHsmRequest.builder().clusterId(clusterId).hsmId(hsmId).build());
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the answer names no cluster, the result has the requested id and state {@code DELETE_IN_PROGRESS}.
     */
    @Override
    public Cluster deleteCluster(String region, String clusterId) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(clusterId, "clusterId");
        return call("DeleteCluster", region, clusterId, client -> {
            LOG.debug("DeleteCluster region={} clusterId={}", region, clusterId);
            software.amazon.awssdk.services.cloudhsmv2.model.Cluster deleted = client.deleteCluster(
                    DeleteClusterRequest.builder().clusterId(clusterId).build()).cluster();
            Cluster cluster = deleted == null ? null : AwsMapping.toCluster(deleted, region);
            return cluster != null ? cluster
                    : new Cluster(clusterId, region, "DELETE_IN_PROGRESS", null, null, null, null, Map.of());
        });
    }

    /**
     * Closes the clients this store built; clients supplied by the caller stay open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (String region : List.copyOf(clients.keySet())) {
            CloudHsmV2Client client = clients.remove(region);
            if (client != null && ownsClients) {
                closeQuietly(region, client);
            }
        }
    }

    /** @return the client for {@code region}, created or asked for on first use; {@code null} when there is none. */
    CloudHsmV2Client client(String region) {
        if (closed.get()) {
            throw new IllegalStateException("AwsBackupStore is closed: cannot call CloudHSM in " + region);
        }
        CloudHsmV2Client client = clients.computeIfAbsent(region, clientSource);
        if (client != null && closed.get()) {
            // close() ran while this client was being created: do not leak it.
            if (clients.remove(region, client) && ownsClients) {
                closeQuietly(region, client);
            }
            throw new IllegalStateException("AwsBackupStore is closed: cannot call CloudHSM in " + region);
        }
        return client;
    }

    private <T> T call(String operation, String region, String resourceId, Function<CloudHsmV2Client, T> body) {
        try {
            CloudHsmV2Client client = client(region);
            if (client == null) {
                throw new BackupServiceException(ServiceErrorKind.UNKNOWN, operation, region, resourceId, null,
                        "no CloudHsmV2Client is configured for region " + region, null);
            }
            return body.apply(client);
        } catch (IllegalStateException e) {
            if (closed.get()) {
                throw e;
            }
            throw AwsErrors.map(e, operation, region, resourceId);
        } catch (RuntimeException e) {
            throw AwsErrors.map(e, operation, region, resourceId);
        }
    }

    /**
     * Reads every page (the paginator fetches the next one as it is reached) and flattens the items. A NextToken
     * that was already followed would make the paginator read the same pages forever: the call fails as
     * {@link ServiceErrorKind#BAD_RESPONSE} at the first repeat.
     */
    private static <P, I> List<I> pages(Iterable<P> pages, Function<P, List<I>> items, Function<P, String> nextToken,
            String operation, String region, String resourceId) {
        List<I> all = new ArrayList<>();
        Set<String> followed = new HashSet<>();
        int read = 0;
        for (P page : pages) {
            read++;
            List<I> some = items.apply(page);
            if (some != null) {
                all.addAll(some);
            }
            String token = nextToken.apply(page);
            if (token != null && !token.isEmpty() && !followed.add(token)) {
                throw new BackupServiceException(ServiceErrorKind.BAD_RESPONSE, operation, region, resourceId, null,
                        "the service repeated NextToken '" + token + "' after " + read
                                + " pages; the listing would never end", null);
            }
        }
        return all;
    }

    private static Backup backupOrUnknown(software.amazon.awssdk.services.cloudhsmv2.model.Backup b, String region,
            String backupId) {
        Backup backup = b == null ? null : AwsMapping.toBackup(b, region, backupId);
        return backup != null ? backup : Backup.builder(backupId, region).state(BackupState.UNKNOWN).build();
    }

    private static void closeQuietly(String region, CloudHsmV2Client client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the CloudHSM client for {} failed: {}", region, e.toString());
        }
    }

    /**
     * Builds an {@link AwsBackupStore}. Settings that shape the clients the store builds
     * ({@link #credentialsProvider}, {@link #endpointOverride}, {@link #apiCallTimeout},
     * {@link #apiCallAttemptTimeout}) cannot be combined with caller-supplied clients. Not thread-safe.
     */
    public static final class Builder {
        private AwsCredentialsProvider credentialsProvider;
        private URI endpointOverride;
        private Duration apiCallTimeout;
        private Duration apiCallAttemptTimeout;
        private Function<String, CloudHsmV2Client> clientFactory;
        private Map<String, CloudHsmV2Client> clients;

        private Builder() {
        }

        /**
         * Credentials for the clients the store builds (default: the SDK's default credentials provider chain).
         */
        public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
            this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
            return this;
        }

        /**
         * One endpoint for every region, for emulators and tests (default: the SDK resolves each region's
         * endpoint). Requests are still signed for the region they are meant for.
         */
        public Builder endpointOverride(URI endpoint) {
            this.endpointOverride = Objects.requireNonNull(endpoint, "endpointOverride");
            return this;
        }

        /** Longest time one call may take, connect to last byte (default: no limit beyond the HTTP timeouts). */
        public Builder apiCallTimeout(Duration timeout) {
            this.apiCallTimeout = Objects.requireNonNull(timeout, "apiCallTimeout");
            return this;
        }

        /** Longest time one HTTP attempt may take (default: no limit beyond the HTTP timeouts). */
        public Builder apiCallAttemptTimeout(Duration timeout) {
            this.apiCallAttemptTimeout = Objects.requireNonNull(timeout, "apiCallAttemptTimeout");
            return this;
        }

        /**
         * Supplies the client for a region (called once per region, on first use). The store never closes these
         * clients, and they keep their own retry settings (see the class documentation).
         */
        public Builder clientFactory(Function<String, CloudHsmV2Client> clientFactory) {
            this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
            return this;
        }

        /**
         * Supplies one client per region; a call to a region not in the map fails with a
         * {@link BackupServiceException}. The store never closes these clients.
         */
        public Builder clients(Map<String, CloudHsmV2Client> clients) {
            Objects.requireNonNull(clients, "clients");
            clients.forEach((region, client) -> {
                Objects.requireNonNull(region, "clients key");
                Objects.requireNonNull(client, "clients value for region " + region);
            });
            this.clients = Map.copyOf(clients);
            return this;
        }

        /**
         * @return the store
         * @throws IllegalArgumentException when a timeout is zero or negative
         * @throws IllegalStateException    when settings contradict each other
         */
        public AwsBackupStore build() {
            requirePositive("apiCallTimeout", apiCallTimeout);
            requirePositive("apiCallAttemptTimeout", apiCallAttemptTimeout);
            if (apiCallTimeout != null && apiCallAttemptTimeout != null
                    && apiCallAttemptTimeout.compareTo(apiCallTimeout) > 0) {
                throw new IllegalStateException("apiCallAttemptTimeout " + apiCallAttemptTimeout
                        + " is longer than apiCallTimeout " + apiCallTimeout + ": it must not be");
            }
            if (clientFactory != null && clients != null) {
                throw new IllegalStateException("clientFactory and clients are both set: use one of them");
            }
            boolean supplied = clientFactory != null || clients != null;
            if (supplied && (credentialsProvider != null || endpointOverride != null || apiCallTimeout != null
                    || apiCallAttemptTimeout != null)) {
                throw new IllegalStateException("credentialsProvider, endpointOverride, apiCallTimeout and "
                        + "apiCallAttemptTimeout configure the clients the store builds: they cannot be combined "
                        + "with " + (clientFactory != null ? "clientFactory" : "clients")
                        + "; configure the supplied clients instead");
            }
            if (clientFactory != null) {
                return new AwsBackupStore(clientFactory, false);
            }
            if (clients != null) {
                Map<String, CloudHsmV2Client> fixed = clients;
                return new AwsBackupStore(fixed::get, false);
            }
            ClientSettings settings = new ClientSettings(credentialsProvider, endpointOverride, apiCallTimeout,
                    apiCallAttemptTimeout);
            return new AwsBackupStore(settings::buildClient, true);
        }

        private static void requirePositive(String field, Duration d) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
        }
    }

    /** What the store needs to build a client for a region. */
    private record ClientSettings(AwsCredentialsProvider credentialsProvider, URI endpointOverride,
            Duration apiCallTimeout, Duration apiCallAttemptTimeout) {

        CloudHsmV2Client buildClient(String region) {
            ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry());
            if (apiCallTimeout != null) {
                override.apiCallTimeout(apiCallTimeout);
            }
            if (apiCallAttemptTimeout != null) {
                override.apiCallAttemptTimeout(apiCallAttemptTimeout);
            }
            CloudHsmV2ClientBuilder builder = CloudHsmV2Client.builder()
                    .region(Region.of(region))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(override.build());
            if (credentialsProvider != null) {
                builder.credentialsProvider(credentialsProvider);
            }
            if (endpointOverride != null) {
                builder.endpointOverride(endpointOverride);
            }
            LOG.debug("Building CloudHSM client region={} endpointOverride={}", region, endpointOverride);
            return builder.build();
        }
    }
}
