package com.luka02.heartbeat.report;

/**
 * One bullet of a report's health-check sections.
 *
 * @param status {@code ok}, {@code warn}, {@code error} or {@code skipped}; null when the bullet
 *     carries no status marker we know, never a guess
 */
public record Check(String section, String label, String status, String message) {}
