package com.luka02.heartbeat.report;

/**
 * One bullet of a report's health-check sections.
 *
 * @param status null when the bullet carries no status marker we know, never a guess
 */
public record Check(String section, String label, Status status, String message) {}
