package io.msabatch.emulator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs API: list, one job, its args; creating an MSA job and fetching its MSA. Every route needs a token. A job
 * is invisible (404, absent from lists) for {@code visibility-delay} after it was created, as on the service.
 */
@RestController
class JobController {

    private static final String JSON = "application/json";
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String FASTA = "text/x-fasta; charset=utf-8";

    private final TokenService tokens;
    private final JobStore store;
    private final Submissions submissions;
    private final EmulatorSettings settings;
    private final Faults faults;
    private final Stats stats;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    JobController(TokenService tokens, JobStore store, Submissions submissions, EmulatorSettings settings,
            Faults faults, Stats stats, Clock clock) {
        this.tokens = tokens;
        this.store = store;
        this.submissions = submissions;
        this.settings = settings;
        this.faults = faults;
        this.stats = stats;
        this.clock = clock;
    }

    /**
     * Newest first. {@code page_size} (or {@code limit}) above {@code max-page-size} is silently capped, as the
     * service caps it; below 1 it is a 422.
     */
    @GetMapping("/api/v1/jobs")
    void list(HttpServletResponse response, @RequestHeader(name = "Authorization", required = false) String auth,
            @RequestParam(required = false) String status,
            @RequestParam(name = "job_type", required = false) String jobType,
            @RequestParam(name = "more_recent_than", required = false) String moreRecentThan,
            @RequestParam(name = "page_size", required = false) String pageSize,
            @RequestParam(required = false) String limit,
            @RequestParam(name = "page_offset", required = false) String pageOffset) throws IOException {
        String user = tokens.authenticate(auth);
        String s = null;
        if (status != null && !status.isBlank()) {
            s = status.trim().toUpperCase(Locale.ROOT);
            if (!JobRecord.STATUSES.contains(s)) {
                throw ApiException.invalid("query", "status", "Input should be one of " + JobRecord.STATUSES, "enum");
            }
        }
        Long after = moreRecentThan == null || moreRecentThan.isBlank() ? null : parseInstant(moreRecentThan.trim());
        String sizeName = pageSize != null ? "page_size" : "limit";
        int size = Math.min(settings.maxPageSize(), integer(sizeName, pageSize != null ? pageSize : limit,
                settings.maxPageSize(), 1));
        int offset = integer("page_offset", pageOffset, 0, 0);
        String type = jobType == null || jobType.isBlank() ? null : jobType.trim();
        List<JobRecord> jobs = store.list(user, s, type, after, visibleUpToUs(), size, offset);
        stats.listed(jobs.size());
        StringBuilder sb = new StringBuilder(jobs.size() * 420 + 2).append('[');
        for (int i = 0; i < jobs.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(jobs.get(i).toJson());
        }
        write(response, JSON, null, sb.append(']').toString());
    }

    @GetMapping("/api/v1/jobs/{jobId}")
    void job(HttpServletResponse response, @RequestHeader(name = "Authorization", required = false) String auth,
            @PathVariable String jobId) throws IOException {
        String user = tokens.authenticate(auth);
        write(response, JSON, null, visible(user, jobId).orElseThrow(ApiException::jobNotFound).toJson());
    }

    @GetMapping("/api/v1/jobs/{jobId}/args")
    void args(HttpServletResponse response, @RequestHeader(name = "Authorization", required = false) String auth,
            @PathVariable String jobId) throws IOException {
        String user = tokens.authenticate(auth);
        JobRecord job = visible(user, jobId).orElseThrow(ApiException::jobNotFound);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("is_seed", job.isSeed());
        args.put("msa_file", job.msaFile());
        args.put("job_type", job.jobType());
        write(response, JSON, null, json.writeValueAsString(args));
    }

    /**
     * {@code is_seed} is a query parameter ({@code true}/{@code True}/{@code 1}; default true), as the official client
     * sends it. With {@code faults.http-5xx-after-create} the job is stored and queued, then the answer is a
     * CloudFront 503.
     */
    @PostMapping({"/api/v1/poet/align/msa", "/api/v1/align/msa"})
    void create(HttpServletRequest request, HttpServletResponse response,
            @RequestHeader(name = "Authorization", required = false) String auth,
            @RequestPart(name = "msa_file", required = false) MultipartFile file) throws IOException {
        String user = tokens.authenticate(auth);
        if (file == null) {
            throw ApiException.invalid("body", "msa_file", "Field required", "missing");
        }
        boolean isSeed = bool("is_seed", queryValue(request, "is_seed"), true);
        String content = new String(file.getBytes(), StandardCharsets.UTF_8);
        JobRecord job = submissions.create(user, content, file.getOriginalFilename(), isSeed);
        stats.submission();
        Faults.Snapshot f = faults.current();
        if (f.appliesTo(request.getMethod() + " " + request.getRequestURI()) && Faults.roll(f.http5xxAfterCreate())) {
            stats.fault("http-5xx-after-create");
            throw new CloudFrontPage.Answer(503);
        }
        write(response, JSON, null, job.toJson());
    }

    /**
     * The MSA of a job ({@code GENERATED}, the default) or its seed ({@code RAW}: {@code seed,<SEQUENCE>}). The
     * MSA is FASTA ({@code text/x-fasta}) for a share of jobs ({@code fasta-share}, fixed per job) and headerless CSV
     * otherwise, whatever the client accepts. Before SUCCESS: 409; in the {@code result-delay} after it: 404.
     */
    @GetMapping({"/api/v1/poet/align/msa", "/api/v1/align/msa", "/api/v1/align/inputs", "/api/v1/poet/align/inputs"})
    void msa(HttpServletRequest request, HttpServletResponse response,
            @RequestHeader(name = "Authorization", required = false) String auth,
            @RequestParam(name = "job_id", required = false) String jobId,
            @RequestParam(name = "msa_type", required = false) String msaType) throws IOException {
        String user = tokens.authenticate(auth);
        if (jobId == null || jobId.isBlank()) {
            throw ApiException.invalid("query", "job_id", "Field required", "missing");
        }
        String type = msaType == null || msaType.isBlank() ? "GENERATED" : msaType.trim().toUpperCase(Locale.ROOT);
        if (!type.equals("GENERATED") && !type.equals("RAW") && !type.equals("PROMPT")) {
            throw ApiException.invalid("query", "msa_type", "Input should be 'GENERATED', 'RAW' or 'PROMPT'",
                    "enum");
        }
        if (type.equals("GENERATED")) {
            Faults.Snapshot f = faults.current();
            if (f.appliesTo(request.getMethod() + " " + request.getRequestURI()) && Faults.roll(f.http504())) {
                stats.fault("http-504");
                throw new CloudFrontPage.Answer(504);
            }
        }
        JobRecord job = visible(user, jobId.trim()).orElseThrow(ApiException::jobNotFound);
        if (type.equals("RAW")) {
            write(response, CSV, job.status(), MsaFormat.csv(List.of(new MsaRow("seed", store.seed(job.seq())))));
            return;
        }
        if (type.equals("PROMPT")) {
            // prompts belong to prompt jobs; an align job has none
            throw new ApiException(404, "Requested align not found", job.status());
        }
        if (!job.status().equals("SUCCESS")) {
            throw new ApiException(409, "Job " + job.jobId() + " has not produced results yet (status: "
                    + job.status() + "). Results are only available once the job completes successfully.",
                    job.status());
        }
        long now = JobRecord.micros(clock.instant());
        if (job.endUs() != null && now < job.endUs() + settings.resultDelay().toNanos() / 1000) {
            throw new ApiException(404, "Requested align not found", job.status());
        }
        List<MsaRow> rows = store.result(job.resultJobId()).map(MsaFormat::parseCsv)
                .orElseGet(() -> List.of(new MsaRow("101", store.seed(job.seq()).replace(":", ""))));
        boolean fasta = MsaFormat.isFasta(job.jobId(), settings.fastaShare());
        write(response, fasta ? FASTA : CSV, job.status(), fasta ? MsaFormat.fasta(rows) : MsaFormat.csv(rows));
    }

    private Optional<JobRecord> visible(String user, String jobId) {
        long upTo = visibleUpToUs();
        return store.find(user, jobId).filter(j -> j.createdUs() <= upTo);
    }

    /** Jobs created up to this time are visible. */
    private long visibleUpToUs() {
        return JobRecord.micros(clock.instant()) - settings.visibilityDelay().toNanos() / 1000;
    }

    /**
     * A 200 written straight to the response: these answers are text the controller already holds, so Spring's
     * content negotiation and message converters would only add work to every request.
     */
    private static void write(HttpServletResponse response, String contentType, String jobStatus, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        if (jobStatus != null) {
            response.setHeader("job_status", jobStatus);
        }
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A query-string parameter only (not a form field of the same name). */
    static String queryValue(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** ISO-8601 with or without an offset (naive = UTC), or a date; 422 otherwise. */
    static long parseInstant(String value) {
        try {
            return JobRecord.micros(OffsetDateTime.parse(value.replace(' ', 'T').replace("Z", "+00:00"))
                    .toInstant());
        } catch (DateTimeException e) {
            try {
                return JobRecord.micros(LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            } catch (DateTimeException e2) {
                try {
                    return JobRecord.micros(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
                } catch (DateTimeException e3) {
                    throw ApiException.invalid("query", "more_recent_than", "Input should be a valid datetime",
                            "datetime_parsing");
                }
            }
        }
    }

    private static int integer(String name, String value, int defaultValue, int min) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        long i;
        try {
            i = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("query", name, "Input should be a valid integer", "int_parsing");
        }
        if (i < min) {
            throw ApiException.invalid("query", name, "Input should be greater than or equal to " + min,
                    "greater_than_equal");
        }
        return (int) Math.min(i, Integer.MAX_VALUE);
    }

    private static boolean bool(String name, String value, boolean defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ApiException.invalid("query", name, "Input should be a valid boolean", "bool_parsing");
        };
    }
}
