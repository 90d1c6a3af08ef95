package org.trajlake.ingest;

/**
 * Why an event is refused: a short code for the dead-letter reason header and the detail in plain
 * words. Every code is listed in the README's dead-letter table.
 */
record Rejection(String reason, String detail) {}
