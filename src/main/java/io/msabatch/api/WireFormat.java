package io.msabatch.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the service's JSON: jobs, error details, tokens. Tolerant by design: unknown fields are ignored, dates
 * with or without an offset are accepted (naive ones are UTC), an unknown status becomes {@link JobStatus#UNKNOWN}
 * and is logged once per distinct value. The bytes are parsed as JSON whatever the content type said (the
 * service labels some answers {@code application/json5}). Thread-safe.
 */
final class WireFormat {

    private static final Logger log = LoggerFactory.getLogger(WireFormat.class);

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Set<String> reportedStatuses = ConcurrentHashMap.newKeySet();

    private WireFormat() {
    }

    static JsonNode parse(byte[] body) {
        return JSON.readTree(body);
    }

    static Job job(JsonNode n) {
        String raw = text(n, "status");
        return new Job(text(n, "job_id"), text(n, "job_type"), status(raw), raw, instant(text(n, "created_date")),
                instant(text(n, "start_date")), instant(text(n, "end_date")), text(n, "failure_message"),
                integer(n, "progress_counter"));
    }

    static List<Job> jobs(JsonNode array) {
        List<Job> jobs = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode n : array) {
                jobs.add(job(n));
            }
        } else if (array.isObject() && array.path("items").isArray()) {
            // A paged envelope {"items": [...]} is tolerated should the service ever switch to it.
            for (JsonNode n : array.path("items")) {
                jobs.add(job(n));
            }
        } else {
            throw new IllegalArgumentException("expected a JSON array of jobs");
        }
        return jobs;
    }

    /** Maps a wire status; null and unknown values give {@link JobStatus#UNKNOWN} (logged once per value). */
    static JobStatus status(String raw) {
        if (raw != null) {
            try {
                JobStatus s = JobStatus.valueOf(raw.trim().toUpperCase(Locale.ROOT));
                if (s != JobStatus.UNKNOWN) {
                    return s;
                }
            } catch (IllegalArgumentException notKnown) {
                // fall through
            }
        }
        String key = String.valueOf(raw);
        if (reportedStatuses.add(key)) {
            log.warn("OpenProtein sent an unknown job status '{}'; treating it as not terminal", key);
        }
        return JobStatus.UNKNOWN;
    }

    /**
     * Parses an ISO-8601 date-time with an offset ({@code Z}, {@code +02:00}) or without one (read as UTC); a space
     * instead of {@code T} is accepted. Null, blank or unreadable values give null (unreadable ones are logged).
     */
    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Instant fast = plainInstant(v);
        if (fast != null) {
            return fast;
        }
        if (v.length() > 10 && v.charAt(10) == ' ') {
            v = v.substring(0, 10) + 'T' + v.substring(11);
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(v, OffsetDateTime::from, LocalDateTime::from);
            return t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            log.warn("OpenProtein sent an unreadable date '{}'; ignoring it", value);
            return null;
        }
    }

    /**
     * The shape the service sends nearly always, read by position: {@code yyyy-MM-dd HH:mm:ss} ({@code T} or a space),
     * then optionally a fraction of 1 to 9 digits, then optionally {@code Z} or {@code ±HH:MM}. Anything else (or an
     * impossible date) gives null, and {@link #instant} falls back to {@link DateTimeFormatter#ISO_DATE_TIME}. The
     * formatter's {@code parseBest} was 2.9 % of the pipeline's CPU samples in a 20,000-record profile (every job
     * answer carries three dates).
     */
    static Instant plainInstant(String v) {
        int n = v.length();
        if (n < 19 || v.charAt(4) != '-' || v.charAt(7) != '-' || (v.charAt(10) != 'T' && v.charAt(10) != ' ')
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && v.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(v.charAt(i))) {
                nanos = nanos * 10 + (v.charAt(i++) - '0');
            }
            int length = i - start;
            if (length == 0 || (i < n && isDigit(v.charAt(i)))) {
                return null;
            }
            for (int k = length; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = 0; // no suffix, or Z: UTC
        if (i < n && !(i + 1 == n && (v.charAt(i) == 'Z' || v.charAt(i) == 'z'))) {
            char sign = v.charAt(i);
            if ((sign != '+' && sign != '-') || i + 6 != n || v.charAt(i + 3) != ':') {
                return null;
            }
            int h = digits(v, i + 1, 2);
            int m = digits(v, i + 4, 2);
            if ((h | m) < 0 || m > 59) {
                return null;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60); // beyond ±18:00 ofTotalSeconds refuses it
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (java.time.DateTimeException e) {
            return null; // e.g. February 30th or +19:00: the formatter's fallback reports it
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The non-negative number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String v, int from, int count) {
        int x = 0;
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            x = x * 10 + (c - '0');
        }
        return x;
    }

    private static final java.util.regex.Pattern TITLE = java.util.regex.Pattern.compile(
            "<title[^>]*>(.*?)</title>", java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

    /**
     * The detail of an error answer, in one line: an HTML page (the service's CDN answers 502/503/504 with one) gives
     * its title and who sent it ({@code Server} header), never the page itself; anything else as {@link #detail(byte[])}.
     */
    static String detail(byte[] body, java.net.http.HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        String text = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("<") && (type.contains("html") || text.regionMatches(true, 0, "<!doctype html", 0, 14)
                || text.regionMatches(true, 0, "<html", 0, 5))) {
            java.util.regex.Matcher m = TITLE.matcher(text);
            String title = m.find() ? m.group(1).replaceAll("\\s+", " ").strip() : "no title";
            String server = headers.firstValue("Server").orElse(null);
            return "HTML error page" + (server == null ? "" : " from " + server) + ": '" + title + "'";
        }
        return detail(body);
    }

    /**
     * The {@code detail} of an error body: a string, or the FastAPI list form joined as {@code loc: msg}; when the
     * body is not JSON, its first 200 characters; null for an empty body.
     */
    static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode d = parse(body).path("detail");
            if (d.isString()) {
                return d.asString();
            }
            if (d.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode item : d) {
                    String msg = text(item, "msg");
                    JsonNode loc = item.path("loc");
                    parts.add((loc.isArray() ? joinLoc(loc) + ": " : "") + (msg != null ? msg : item.toString()));
                }
                return String.join("; ", parts);
            }
            if (!d.isMissingNode() && !d.isNull()) {
                return d.toString();
            }
        } catch (JacksonException notJson) {
            // fall through to the raw text
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String joinLoc(JsonNode loc) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : loc) {
            parts.add(p.asString());
        }
        return String.join(".", parts);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asString() : v.toString();
    }

    static Integer integer(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (v.isNumber()) {
            return v.asInt();
        }
        if (v.isString()) {
            try {
                return (int) Math.round(Double.parseDouble(v.asString().trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The first sequence of an uploaded seed file as the service returns it under {@code msa_type=RAW}: FASTA, a
     * headerless {@code name,sequence} CSV, or a bare sequence. Upper-case, whitespace removed; null if none.
     */
    static String firstSequence(String text) {
        String[] lines = text.replace("\r", "").split("\n");
        StringBuilder seq = new StringBuilder();
        boolean inFasta = false;
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty()) {
                if (seq.length() > 0) {
                    break;
                }
                continue;
            }
            if (l.startsWith(">")) {
                if (seq.length() > 0) {
                    break;
                }
                inFasta = true;
                continue;
            }
            if (inFasta) {
                seq.append(l);
                continue;
            }
            int comma = l.lastIndexOf(',');
            seq.append(comma >= 0 ? l.substring(comma + 1) : l);
            break;
        }
        String s = seq.toString().replaceAll("\\s+", "").replace("\"", "").toUpperCase(Locale.ROOT);
        return s.isEmpty() ? null : s;
    }
}
