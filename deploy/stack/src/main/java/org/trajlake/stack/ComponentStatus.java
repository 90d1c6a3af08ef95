package org.trajlake.stack;

import java.util.OptionalLong;

/**
 * One row of {@code trajlake status}.
 *
 * @param component which part of the stack
 * @param running whether its process is alive (for the Iceberg catalog: whether its file exists)
 * @param healthy whether it answers as it should
 * @param pid its process id, for the server processes that run
 * @param address where clients reach it
 * @param detail a short reason for the health verdict
 */
public record ComponentStatus(Component component, boolean running, boolean healthy, OptionalLong pid,
    String address, String detail) {}
