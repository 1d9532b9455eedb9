package io.msabatch.api;

import io.msabatch.api.RetryClassifier.Action;
import io.msabatch.api.RetryClassifier.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.backoff.Sleeper;
import org.springframework.retry.backoff.ThreadWaitSleeper;
import org.springframework.retry.policy.SimpleRetryPolicy;
import org.springframework.retry.support.RetryTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Client of the OpenProtein.AI jobs and MSA API, following today's service by default ({@code openprotein.paths}).
 * Thread-safe; one instance serves the whole run and shares one HTTP/1.1 connection pool. It logs in with
 * {@link Credentials} ({@code /api/v1/auth/login}, falling back to the older login routes when the service answers 404)
 * and renews the token by itself; GETs are retried on transport errors, 5xx and 429 (honouring {@code Retry-After}); a
 * job-creating POST is repeated only when it certainly did not arrive (connection refused, 429), otherwise
 * {@link UncertainSubmissionException} is raised. Every failure is an {@link OpenProteinException}:
 * {@link TransientApiException}, {@link PermanentApiException} (with {@link JobNotFoundException} and
 * {@link AuthenticationException}), {@link JobNotReadyException} or {@link UncertainSubmissionException}. HTML error
 * pages (the service's CDN) become one-line details (status and page title).
 */
public class OpenProteinClient implements JobLookup {

    private static final Logger log = LoggerFactory.getLogger(OpenProteinClient.class);

    /** Login routes in the order the official client tries them: today's, then the older ones on a 404. */
    static final List<String> LOGIN_PATHS = List.of("/api/v1/auth/login", "/api/v1/login/access-token",
            "/api/v1/login/user-access-token");
    static final String REFRESH_PATH = "/api/v1/auth/refresh";
    static final String JOBS_PATH = "/api/v1/jobs";
    /** The job type of MSA jobs. */
    public static final String ALIGN_JOB_TYPE = "/align/align";
    /** A job list is never walked beyond this many pages (a server that keeps answering new rows forever). */
    static final int MAX_PAGES = 20_000;

    private final String baseUrl;
    private final OpenProteinProperties properties;
    private final Credentials credentials;
    private final Clock clock;
    private final HttpClient http;
    private final RetryTemplate retryTemplate;
    private final TokenKeeper tokens;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong jobsListed = new AtomicLong();
    private final String userAgent;
    private final OpenProteinProperties.Paths paths;
    private final CopyOnWriteArrayList<RequestListener> listeners = new CopyOnWriteArrayList<>();
    /** The first login route that did not answer 404. */
    private volatile int loginRoute;
    /** The largest page the server was seen to fill: it honours at least that page size. */
    private volatile int largestFullPage;
    /** The service's clock minus ours, from the Date header of its answers (1 s resolution); null until seen. */
    private volatile ServiceDate lastDate;
    private volatile Duration clockOffset;
    /** The running execution's stop request, which ends retries early; null: every call uses its attempts. */
    private volatile RetryStop retryStop;

    /** A client of {@code baseUrl} (a root URL, not {@code embedded}) with the real clock and real sleeping. */
    public OpenProteinClient(OpenProteinProperties properties, String baseUrl, Credentials credentials) {
        this(properties, baseUrl, credentials, Clock.systemUTC(), new ThreadWaitSleeper());
    }

    /**
     * A client with an injected clock (token expiry, the attempt time of uncertain submissions) and sleeper (retry
     * backoff). Throws {@link OpenProteinSetupException} for a URL that is not http(s), or plain http to a host that
     * is not loopback while {@code openprotein.allow-insecure-http} is false.
     */
    public OpenProteinClient(OpenProteinProperties properties, String baseUrl, Credentials credentials, Clock clock,
                             Sleeper sleeper) {
        this.properties = properties;
        this.baseUrl = checkedBaseUrl(baseUrl, properties.allowInsecureHttp());
        this.credentials = credentials;
        this.clock = clock;
        this.paths = properties.paths();
        this.userAgent = "msa-batch/" + version();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.retryTemplate = retryTemplate(properties.retry(), sleeper);
        this.tokens = new TokenKeeper(clock, this::login, this::refresh);
    }

    /** Adds a listener told about every exchange (metrics, the service watch); adding one twice adds it once. */
    public void addListener(RequestListener listener) {
        listeners.addIfAbsent(listener);
    }

    /**
     * Ends retries early once {@code stop} is requested (null: never): a call whose attempt then fails is not tried
     * again, and a wait before a retry ends at once. A stopping run otherwise kept retrying the POSTs of its last
     * batch against a service that was down, one after the other, until the graceful stop's 60 s ran out. Only
     * retried failures are cut short, and those are certain not to have created a job (see {@link RetryClassifier}):
     * the next run sends them again. Replaced by each execution.
     */
    public void stopRetryingOn(RetryStop stop) {
        this.retryStop = stop;
    }

    private boolean stopRequested() {
        RetryStop s = retryStop;
        return s != null && s.isRequested();
    }

    /** Removes a listener (an execution's, when the execution ends). */
    public void removeListener(RequestListener listener) {
        listeners.remove(listener);
    }

    /** The settings this client runs with. */
    public OpenProteinProperties properties() {
        return properties;
    }

    /**
     * Submits {@code sequence} (chains of a complex may be joined with {@code :}; sent as is) as the seed of an MSA
     * job ({@code is_seed=true}) and returns the new job. Raises {@link UncertainSubmissionException} when the POST
     * may have arrived without a usable answer (no answer, or any 5xx), {@link TransientApiException} when it
     * certainly did not arrive and the retries are used up, and {@link PermanentApiException} for bad input
     * (400/413/422, with the service's detail).
     */
    public Job submitMsa(String sequence) {
        String boundary = "msa-batch-" + UUID.randomUUID();
        byte[] body = multipart(boundary, "msa_file", "seed.fasta", ">seed\n" + sequence + "\n");
        String path = paths.submitPath();
        Request r = new Request("POST", path, path + "?is_seed=true", null, Kind.CREATING, true)
                .body("multipart/form-data; boundary=" + boundary, body);
        return call(r, response -> WireFormat.job(json(r, response)));
    }

    /** The job with id {@code jobId}; {@link JobNotFoundException} when the service does not know it (yet). */
    public Job getJob(String jobId) {
        String route = JOBS_PATH + "/{job_id}";
        Request r = new Request("GET", route, JOBS_PATH + "/" + pathSegment(jobId), jobId, Kind.IDEMPOTENT, true);
        return call(r, response -> WireFormat.job(json(r, response)));
    }

    /**
     * Every job matching {@code query}, in the service's order (newest first), each once. Pages of at most 100 are
     * walked by the rows actually returned ({@code page_offset} advances by the page's length, since nothing says
     * the server honoured {@code page_size}) until a page is empty or brings no job id not seen yet; a short page
     * ends the walk only once the server was seen to fill a page of the size asked for. Each page has its own retry
     * budget; at most {@value #MAX_PAGES} pages.
     */
    public List<Job> listJobs(JobQuery query) {
        int pageSize = Math.min(query.pageSize() > 0 ? query.pageSize() : properties.pageSize(),
                OpenProteinProperties.MAX_PAGE_SIZE);
        Map<String, String> params = new LinkedHashMap<>();
        if (query.status() != null) {
            params.put("status", query.status().name());
        }
        if (query.jobType() != null) {
            params.put("job_type", query.jobType());
        }
        if (query.moreRecentThan() != null) {
            params.put("more_recent_than", DateTimeFormatter.ISO_INSTANT.format(query.moreRecentThan()));
        }
        params.put("page_size", Integer.toString(pageSize));
        List<Job> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int offset = 0;
        for (int pages = 1; ; pages++) {
            params.put("page_offset", Integer.toString(offset));
            Request r = new Request("GET", JOBS_PATH, JOBS_PATH + "?" + queryString(params), null,
                    Kind.IDEMPOTENT, true);
            List<Job> page = call(r, response -> WireFormat.jobs(json(r, response)));
            jobsListed.addAndGet(page.size());
            int fresh = 0;
            for (Job j : page) {
                if (j.jobId() == null || seen.add(j.jobId())) {
                    all.add(j);
                    fresh++;
                }
            }
            if (page.isEmpty() || fresh == 0) {
                return all;
            }
            if (page.size() >= pageSize && pageSize > largestFullPage) {
                largestFullPage = pageSize;
            }
            if (page.size() < pageSize && largestFullPage >= pageSize) {
                return all; // the server fills pages of this size: a shorter one is the last
            }
            if (pages >= MAX_PAGES) {
                log.warn("{} still had new jobs after {} pages; stopped walking it", r.describe(), pages);
                return all;
            }
            offset += page.size();
        }
    }

    /**
     * The largest MSA answer kept in memory instead of a file (1 MiB; each download thread holds at most one). A
     * file per answer cost an inode allocated and freed per record: on ext4 without a journal, as on our machines,
     * each new inode then skips every inode freed in the last minutes: without the file, a 20,000-record run's system
     * CPU fell from 44.2 to 14.3 s (README, "Benchmarks", eighth session).
     */
    public static final int IN_MEMORY_ANSWER_LIMIT = 1 << 20;

    /**
     * Fetches the GENERATED MSA of a SUCCESS job and says how to read it: FASTA when the answer is
     * {@code text/x-fasta}, otherwise the headerless CSV. An answer of up to {@link #IN_MEMORY_ANSWER_LIMIT} bytes is
     * kept in memory; a larger one is streamed into {@code target} (a temporary file beside it, moved into place: never
     * left half-written), and the caller deletes it when done. {@link JobNotReadyException} before SUCCESS (409, a
     * {@code job_status} header other than SUCCESS, or an empty body); {@link JobNotFoundException} for a 404 (an
     * unknown job, or results not stored yet).
     */
    public MsaDownload downloadMsa(String jobId, Path target) {
        String path = paths.resultsPath();
        Request r = new Request("GET", path, path + "?job_id=" + encode(jobId) + "&msa_type=GENERATED", jobId,
                Kind.IDEMPOTENT, true).accept("text/csv, text/x-fasta;q=0.9, */*;q=0.1");
        return call(r, response -> {
            String status = response.headers().firstValue("job_status").orElse(null);
            if (status != null && WireFormat.status(status) != JobStatus.SUCCESS) {
                throw notReady(r, response.statusCode(), response, null);
            }
            MsaDownload.Format format = response.headers().firstValue("Content-Type").orElse("")
                    .toLowerCase(Locale.ROOT).contains("fasta") ? MsaDownload.Format.FASTA : MsaDownload.Format.CSV;
            try (InputStream in = response.body()) {
                byte[] head = in.readNBytes(IN_MEMORY_ANSWER_LIMIT + 1);
                if (head.length == 0) {
                    throw notReady(r, response.statusCode(), response, null);
                }
                if (head.length <= IN_MEMORY_ANSWER_LIMIT) {
                    log.debug("MSA of job {} received ({} bytes, {})", jobId, head.length, format);
                    return MsaDownload.inMemory(head, format);
                }
                Path absolute = target.toAbsolutePath();
                Files.createDirectories(absolute.getParent());
                Path part = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
                try {
                    long bytes;
                    try (OutputStream out = Files.newOutputStream(part)) {
                        out.write(head);
                        bytes = head.length + in.transferTo(out);
                    }
                    moveIntoPlace(part, absolute);
                    log.debug("MSA of job {} saved to {} ({} bytes, {})", jobId, absolute, bytes, format);
                    return MsaDownload.saved(absolute, format, bytes);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
        });
    }

    /**
     * The seed the job was submitted with (RAW): its first sequence, upper-case, whitespace removed, chain
     * separators ({@code :}) kept.
     */
    public String fetchSeed(String jobId) {
        String path = paths.resultsPath();
        Request r = new Request("GET", path, path + "?job_id=" + encode(jobId) + "&msa_type=RAW", jobId,
                Kind.IDEMPOTENT, true).accept("text/csv, */*");
        return call(r, response -> {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            }
            String seed = WireFormat.firstSequence(new String(body, StandardCharsets.UTF_8));
            if (seed == null) {
                throw new PermanentApiException(r.describe() + " answered no sequence", response.statusCode(),
                        r.route(), jobId, null, null);
            }
            return seed;
        });
    }

    /**
     * Logs in now (unless a valid token is held), so that refused credentials stop a run before it starts:
     * {@link AuthenticationException}. A service that cannot be reached just now is logged; the run's own calls
     * retry it later.
     */
    public void checkLogin() {
        try {
            tokens.authorization();
        } catch (AuthenticationException e) {
            throw e;
        } catch (OpenProteinException e) {
            log.warn("Could not log in to {} yet ({}); the run tries again as it goes", baseUrl, e.getMessage());
        }
    }

    /** HTTP requests sent so far (logins and retries included), for the run summary. */
    public long requestCount() {
        return requests.get();
    }

    /** Job rows returned by list calls so far. */
    public long jobsListed() {
        return jobsListed.get();
    }

    /** The root URL this client talks to, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The service's time at our {@code local} instant, from the Date headers of its answers (good to about a second);
     * {@code local} itself until an answer carried a Date.
     */
    public Instant serviceTime(Instant local) {
        Duration offset = clockOffset;
        return offset == null ? local : local.plus(offset);
    }

    /** Whether {@link #serviceTime} is calibrated (an answer carried a Date header). */
    public boolean knowsServiceClock() {
        return clockOffset != null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Auth

    private TokenKeeper.Grant login() {
        String form = "username=" + encode(credentials.username()) + "&password=" + encode(credentials.password());
        for (int i = loginRoute; ; i++) {
            String path = LOGIN_PATHS.get(i);
            Request r = new Request("POST", path, path, null, Kind.IDEMPOTENT, false)
                    .body("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8))
                    .header("X-Token-Delivery", "body");
            try {
                TokenKeeper.Grant g = call(r, response -> grant(r, json(r, response)));
                if (i != loginRoute) {
                    loginRoute = i;
                }
                log.info("Logged in to {} as {} ({})", baseUrl, credentials.username(), path);
                return g;
            } catch (JobNotFoundException notHere) {
                if (i + 1 == LOGIN_PATHS.size()) {
                    throw new AuthenticationException("no login route of " + baseUrl + " answered (all of " + LOGIN_PATHS
                            + " answered 404); check openprotein.base-url", 404, r.route(), notHere.detail());
                }
                log.info("{} answered 404; trying {}", r.route(), LOGIN_PATHS.get(i + 1));
            }
        }
    }

    private TokenKeeper.Grant refresh(String refreshToken) {
        byte[] body = WireFormat.JSON.writeValueAsBytes(Map.of("refresh_token", refreshToken));
        Request r = new Request("POST", REFRESH_PATH, REFRESH_PATH, null, Kind.IDEMPOTENT, false)
                .body("application/json", body).header("X-Token-Delivery", "body");
        return call(r, response -> grant(r, json(r, response)));
    }

    private static TokenKeeper.Grant grant(Request r, JsonNode n) {
        String access = WireFormat.text(n, "access_token");
        if (access == null) {
            throw new IllegalArgumentException(r.route() + " answered no access_token in its body");
        }
        Integer seconds = WireFormat.integer(n, "expires_in");
        return new TokenKeeper.Grant(WireFormat.text(n, "token_type"), access,
                seconds == null ? null : Duration.ofSeconds(seconds), WireFormat.text(n, "refresh_token"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // One call: attempts under the retry template, each classified by RetryClassifier.

    /** Reads an accepted answer (2xx, 3xx, 404, 409); IOException = the connection broke while reading. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(HttpResponse<InputStream> response) throws IOException;
    }

    private <T> T call(Request r, Reader<T> reader) {
        Instant firstAttempt = clock.instant();
        boolean[] reloggedIn = {false};
        int[] tries = {0};
        try {
            return retryTemplate.execute((RetryCallback<T, RuntimeException>) ctx -> {
                tries[0]++;
                return attempt(r, reader, firstAttempt, reloggedIn);
            });
        } catch (RetryableFailure f) {
            OpenProteinException e = f.exhausted();
            if (e instanceof TransientApiException t) {
                t.exhausted(tries[0], Duration.between(firstAttempt, clock.instant()));
            }
            throw e;
        }
    }

    private <T> T attempt(Request r, Reader<T> reader, Instant firstAttempt, boolean[] reloggedIn) {
        String authorization = r.authenticated() ? tokens.authorization() : null;
        while (true) {
            HttpResponse<InputStream> response;
            try {
                response = send(r, authorization);
            } catch (IOException e) {
                throw transportFailure(r, e, firstAttempt);
            }
            int status = response.statusCode();
            Action action = RetryClassifier.classifyStatus(r.kind(), status);
            if (action == Action.RELOGIN && r.authenticated() && !reloggedIn[0]) {
                // Log in again once and repeat once; a second refusal falls through to FAIL below: never a loop.
                discard(response);
                reloggedIn[0] = true;
                log.info("{} answered {}; logging in again and repeating the request once", r.describe(), status);
                authorization = tokens.renewAfterRefusal(authorization);
                continue;
            }
            if (action == Action.ACCEPT) {
                return accept(r, reader, response, firstAttempt);
            }
            String detail = WireFormat.detail(readQuietly(response), response.headers());
            String message = r.describe() + " answered " + status + (detail == null ? "" : ": " + detail);
            switch (action) {
                case RETRY -> throw new RetryableFailure(
                        new TransientApiException(message, status, r.route(), r.jobId(), detail, null),
                        retryAfter(response));
                case UNCERTAIN -> throw new UncertainSubmissionException(message
                        + "; the job may have been created, reconcile before submitting again", status, r.route(),
                        detail, firstAttempt, null);
                default -> {
                    if ((status == 401 || status == 403) && LOGIN_PATHS.contains(r.template())) {
                        throw new AuthenticationException("OpenProtein login as " + credentials.username() + " refused ("
                                + status + (detail == null ? "" : ": " + detail) + "); check OPENPROTEIN_USERNAME and "
                                + "OPENPROTEIN_PASSWORD or openprotein.credentials-file", status, r.route(), detail);
                    }
                    if ((status == 401 || status == 403) && r.authenticated()) {
                        throw new AuthenticationException(message + " even with a fresh token; check the account of "
                                + credentials.username(), status, r.route(), detail);
                    }
                    throw new PermanentApiException(message, status, r.route(), r.jobId(), detail, null);
                }
            }
        }
    }

    private <T> T accept(Request r, Reader<T> reader, HttpResponse<InputStream> response, Instant firstAttempt) {
        int status = response.statusCode();
        try {
            if (status == 404) {
                String detail = WireFormat.detail(readQuietly(response), response.headers());
                throw new JobNotFoundException(r.describe() + " answered 404" + (detail == null ? "" : ": " + detail),
                        r.route(), r.jobId(), detail);
            }
            if (status == 409) {
                throw notReady(r, status, response, WireFormat.detail(readQuietly(response), response.headers()));
            }
            if (status < 200 || status >= 300) {
                String detail = WireFormat.detail(readQuietly(response), response.headers());
                throw new PermanentApiException(r.describe() + " answered an unexpected " + status, status,
                        r.route(), r.jobId(), detail, null);
            }
            return reader.read(response);
        } catch (IOException e) {
            // The connection broke while the answer was being read.
            throw transportFailure(r, e, firstAttempt);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new PermanentApiException(r.describe() + " answered " + status + " with a body this client cannot"
                    + " read (" + e.getClass().getSimpleName() + ")", status, r.route(), r.jobId(), null, e);
        } finally {
            discard(response);
        }
    }

    private RuntimeException transportFailure(Request r, IOException e, Instant firstAttempt) {
        String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        Action action = RetryClassifier.classifyTransport(r.kind(), e);
        return switch (action) {
            case RETRY -> new RetryableFailure(new TransientApiException(r.describe() + " failed: " + what, 0,
                    r.route(), r.jobId(), null, e), null);
            case UNCERTAIN -> new UncertainSubmissionException(r.describe() + " got no answer after sending: " + what
                    + "; the job may have been created, reconcile before submitting again", r.route(), firstAttempt, e);
            default -> new PermanentApiException(r.describe() + " failed: " + what, 0, r.route(), r.jobId(), null, e);
        };
    }

    private HttpResponse<InputStream> send(Request r, String authorization) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + r.pathAndQuery()))
                .timeout(properties.readTimeout())
                .header("User-Agent", userAgent)
                .header("Accept", r.accept());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (r.extraHeader() != null) {
            b.header(r.extraHeader()[0], r.extraHeader()[1]);
        }
        BodyPublisher publisher = BodyPublishers.noBody();
        if (r.body() != null) {
            publisher = BodyPublishers.ofByteArray(r.body());
            b.header("Content-Type", r.contentType());
        }
        b.method(r.method(), publisher);
        requests.incrementAndGet();
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> response = http.send(b.build(), BodyHandlers.ofInputStream());
            notify(r, response.statusCode(), t0);
            calibrateClock(response);
            log.debug("{} -> {}", r.describe(), response.statusCode());
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notify(r, 0, t0);
            throw new OpenProteinException(r.describe() + " interrupted", 0, r.route(), r.jobId(), null, e);
        } catch (IOException e) {
            notify(r, 0, t0);
            throw e;
        }
    }

    private void notify(Request r, int status, long t0) {
        if (!listeners.isEmpty()) {
            long nanos = System.nanoTime() - t0;
            for (RequestListener l : listeners) {
                l.exchanged(r.route(), status, nanos);
            }
        }
    }

    /** Keeps the service's clock offset from the answer's Date header (RFC 1123, whole seconds). */
    private void calibrateClock(HttpResponse<?> response) {
        String date = response.headers().firstValue("Date").orElse(null);
        if (date == null) {
            return;
        }
        try {
            // answers within one second carry the same header: parse it once (2% of a run's CPU, parsed each time)
            ServiceDate last = lastDate;
            Instant theirs;
            if (last != null && last.header().equals(date)) {
                theirs = last.instant();
            } else {
                theirs = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                lastDate = new ServiceDate(date, theirs);
            }
            // The header truncates to the second: add half a second so the estimate is unbiased.
            clockOffset = Duration.between(clock.instant(), theirs.plusMillis(500));
        } catch (DateTimeParseException ignored) {
            // a malformed Date header says nothing about the clock
        }
    }

    /** The last Date header parsed, and its instant. */
    private record ServiceDate(String header, Instant instant) {
    }

    private JobNotReadyException notReady(Request r, int status, HttpResponse<?> response, String detail) {
        String raw = response.headers().firstValue("job_status").orElse(null);
        JobStatus jobStatus = raw == null ? JobStatus.UNKNOWN : WireFormat.status(raw);
        return new JobNotReadyException("the MSA of job " + r.jobId() + " is not ready (status " + raw + ")", status,
                r.route(), r.jobId(), detail, jobStatus);
    }

    private static JsonNode json(Request r, HttpResponse<InputStream> response) throws IOException {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        }
        // Parsed whatever the content type says: the service labels JSON as application/json5 at times.
        return WireFormat.parse(body);
    }

    /** The Retry-After header as seconds or an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(HttpResponse<?> response) {
        return retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
    }

    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static byte[] readQuietly(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the connection is gone already
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private RetryTemplate retryTemplate(OpenProteinProperties.Retry retry, Sleeper sleeper) {
        RetryTemplate t = new RetryTemplate();
        t.setRetryPolicy(new SimpleRetryPolicy(retry.maxAttempts(), Map.of(RetryableFailure.class, true), false) {
            @Override
            public boolean canRetry(RetryContext context) {
                // the first attempt is always made; a retry only while no stop is requested
                return super.canRetry(context) && (context.getRetryCount() == 0 || !stopRequested());
            }
        });
        t.setBackOffPolicy(new RetryBackOff(retry.initialBackoff(), retry.maxBackoff(), sleeper,
                () -> ThreadLocalRandom.current().nextDouble(), () -> retryStop));
        t.setThrowLastExceptionOnExhausted(true);
        t.registerListener(new RetryListener() {
            @Override
            public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                                                         Throwable throwable) {
                if (throwable instanceof RetryableFailure f) {
                    boolean cut = context.getRetryCount() < retry.maxAttempts() && stopRequested();
                    log.warn("{} (attempt {} of {}{})", f.getMessage(), context.getRetryCount(), retry.maxAttempts(),
                            cut ? "; not retried: the run is stopping" : "");
                    if (context.getRetryCount() < retry.maxAttempts() && !cut) {
                        for (RequestListener l : listeners) {
                            l.retrying(f.exhausted().route());
                        }
                    }
                }
            }
        });
        return t;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small helpers

    static String checkedBaseUrl(String baseUrl, boolean allowInsecureHttp) {
        String url = baseUrl == null ? "" : baseUrl.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("openprotein.base-url '" + baseUrl + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("openprotein.base-url '" + baseUrl
                    + "' must be an https:// URL (or 'embedded' for the built-in emulator)");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost()) && !allowInsecureHttp) {
            throw new IllegalArgumentException("openprotein.base-url '" + baseUrl + "' uses plain http to a host that"
                    + " is not loopback, which would send the password unencrypted; use https://, or set"
                    + " openprotein.allow-insecure-http=true if you really mean it");
        }
        return url;
    }

    /**
     * True when {@code host} is a loopback address: an IP literal, or a name every address of which (as this machine
     * resolves it now) is loopback. A name that does not resolve is not loopback ({@code evil.localhost} is refused
     * unless it really resolves to 127.0.0.1).
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(h);
            if (all.length == 0) {
                return false;
            }
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    static byte[] multipart(String boundary, String field, String filename, String content) {
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "\r\n"
                + content + "\r\n"
                + "--" + boundary + "--\r\n";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String queryString(Map<String, String> params) {
        return params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String pathSegment(String s) {
        return encode(s).replace("+", "%20");
    }

    private static String version() {
        String v = OpenProteinClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** One request of one call. {@code route} is the path template used in errors and logs (no ids, no secrets). */
    private record Request(String method, String template, String pathAndQuery, String jobId, Kind kind,
                           boolean authenticated, String contentType, byte[] body, String accept, String[] extraHeader) {

        Request(String method, String template, String pathAndQuery, String jobId, Kind kind, boolean authenticated) {
            this(method, template, pathAndQuery, jobId, kind, authenticated, null, null, "application/json", null);
        }

        Request body(String type, byte[] bytes) {
            return new Request(method, template, pathAndQuery, jobId, kind, authenticated, type, bytes, accept, extraHeader);
        }

        Request accept(String value) {
            return new Request(method, template, pathAndQuery, jobId, kind, authenticated, contentType, body, value,
                    extraHeader);
        }

        Request header(String name, String value) {
            return new Request(method, template, pathAndQuery, jobId, kind, authenticated, contentType, body, accept,
                    new String[] {name, value});
        }

        /** Method and path template, e.g. {@code GET /api/v1/jobs/{job_id}}. */
        String route() {
            return method + " " + template;
        }

        String describe() {
            return route() + (jobId == null ? "" : " (job " + jobId + ")");
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
