package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a store that takes any number of ids in one filter (the in-memory store) send id filters the way the
 * {@code aws} module does: at most {@value Minimum#FILTER_VALUES} {@code backupIds} and
 * {@value Minimum#FILTER_VALUES} {@code sourceBackupIds} per request, one request (and its pages) per
 * combination of chunks, a page token naming the chunk. So the store's count of calls is the count of requests
 * the same run would send to AWS. It also tells the engine that limit ({@code maxFilterIdsPerRequest}), as the
 * {@code aws} module's store does. A dynamic proxy: every other method passes through.
 */
final class ChunkedIds {
    private ChunkedIds() {
    }

    static BackupStore of(BackupStore delegate) {
        return (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("maxFilterIdsPerRequest")) {
                            // as the aws module says: the engine then sends at most this many ids a request
                            return Minimum.FILTER_VALUES;
                        }
                        if (method.getName().equals("describeBackupsPage") && args.length == 3) {
                            return page(delegate, (String) args[0], (BackupFilter) args[1], (String) args[2]);
                        }
                        if (method.getName().equals("describeBackups") && args.length == 2) {
                            return all(delegate, (String) args[0], (BackupFilter) args[1]);
                        }
                        return invoke(method, delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws InvocationTargetException {
        try {
            return method.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The filter of each request: one per combination of id chunks. */
    private static List<BackupFilter> chunks(BackupFilter f) {
        List<BackupFilter> requests = new ArrayList<>();
        for (List<String> ids : split(f.backupIds())) {
            for (List<String> sources : split(f.sourceBackupIds())) {
                requests.add(new BackupFilter(ids.isEmpty() ? null : java.util.Set.copyOf(ids),
                        sources.isEmpty() ? null : java.util.Set.copyOf(sources), f.clusterIds(), f.states(),
                        f.neverExpires()));
            }
        }
        return requests;
    }

    private static List<List<String>> split(java.util.Set<String> ids) {
        if (ids.isEmpty()) {
            return List.of(List.of());
        }
        List<String> sorted = ids.stream().sorted().toList();
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += Minimum.FILTER_VALUES) {
            out.add(sorted.subList(i, Math.min(sorted.size(), i + Minimum.FILTER_VALUES)));
        }
        return out;
    }

    private static BackupPage page(BackupStore store, String region, BackupFilter filter, String token) {
        List<BackupFilter> requests = chunks(filter);
        if (requests.size() == 1) {
            return store.describeBackupsPage(region, filter, token);
        }
        int chunk = 0;
        String inner = null;
        if (token != null) {
            int bar = token.indexOf('|');
            chunk = Integer.parseInt(token.substring(0, bar));
            inner = token.substring(bar + 1).isEmpty() ? null : token.substring(bar + 1);
        }
        BackupPage p = store.describeBackupsPage(region, requests.get(chunk), inner);
        String next = p.nextToken() != null ? chunk + "|" + p.nextToken()
                : chunk + 1 < requests.size() ? (chunk + 1) + "|" : null;
        return new BackupPage(p.backups(), next);
    }

    private static List<Backup> all(BackupStore store, String region, BackupFilter filter) {
        Map<String, Backup> found = new LinkedHashMap<>();
        String token = null;
        do {
            BackupPage p = page(store, region, filter, token);
            p.backups().forEach(b -> found.putIfAbsent(b.backupId(), b));
            token = p.nextToken();
        } while (token != null);
        return new ArrayList<>(found.values());
    }
}
