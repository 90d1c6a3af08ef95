package org.trajlake.joiner;

/**
 * Why an input record cannot be used.
 *
 * @param reason the code of the {@code trajlake.dlq.reason} header (see {@link Reasons})
 * @param detail the same in plain words, with the offending value
 */
record Rejection(String reason, String detail) {}
