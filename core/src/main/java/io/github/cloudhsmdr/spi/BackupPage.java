package io.github.cloudhsmdr.spi;

import java.util.List;

/**
 * One page of a backup listing.
 *
 * @param backups   the backups on this page
 * @param nextToken the token of the next page, or {@code null} on the last page
 */
public record BackupPage(List<Backup> backups, String nextToken) {

    public BackupPage {
        backups = List.copyOf(backups);
        nextToken = nextToken == null || nextToken.isEmpty() ? null : nextToken;
    }
}
