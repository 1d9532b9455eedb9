package io.msabatch.emulator;

import java.io.IOException;
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
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/** The jobs API: list, one job, its args; creating an MSA job and fetching its result. Every route needs a token. */
@RestController
class JobController {

    static final Set<String> STATUSES = Set.of("PENDING", "RUNNING", "RETRYING", "SUCCESS", "FAILURE", "CANCELED");
    private static final int MAX_PAGE_SIZE = 1000;
    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");
    private static final MediaType FASTA = MediaType.parseMediaType("text/x-fasta;charset=UTF-8");

    private final TokenService tokens;
    private final JobStore store;
    private final JobScheduler scheduler;
    private final EmulatorSettings settings;
    private final Stats stats;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Clock clock = Clock.systemUTC();

    JobController(TokenService tokens, JobStore store, JobScheduler scheduler, EmulatorSettings settings,
            Stats stats) {
        this.tokens = tokens;
        this.store = store;
        this.scheduler = scheduler;
        this.settings = settings;
        this.stats = stats;
    }

    @GetMapping("/api/v1/jobs")
    List<Map<String, Object>> list(@RequestHeader(name = "Authorization", required = false) String auth,
            @RequestParam(required = false) String status,
            @RequestParam(name = "job_type", required = false) String jobType,
            @RequestParam(name = "more_recent_than", required = false) String moreRecentThan,
            @RequestParam(name = "page_size", required = false) String pageSize,
            @RequestParam(required = false) String limit,
            @RequestParam(name = "page_offset", required = false) String pageOffset) {
        String user = tokens.authenticate(auth);
        String s = null;
        if (status != null && !status.isBlank()) {
            s = status.trim().toUpperCase(Locale.ROOT);
            if (!STATUSES.contains(s)) {
                throw ApiException.invalid("query", "status", "Input should be one of " + STATUSES, "enum");
            }
        }
        Long after = moreRecentThan == null || moreRecentThan.isBlank() ? null : parseInstant(moreRecentThan.trim());
        String sizeName = pageSize != null ? "page_size" : "limit";
        int size = integer(sizeName, pageSize != null ? pageSize : limit, 100, 1, MAX_PAGE_SIZE);
        int offset = integer("page_offset", pageOffset, 0, 0, Integer.MAX_VALUE);
        String type = jobType == null || jobType.isBlank() ? null : jobType.trim();
        return store.list(user, s, type, after, size, offset).stream().map(JobRecord::toJson).toList();
    }

    @GetMapping("/api/v1/jobs/{jobId}")
    Map<String, Object> job(@RequestHeader(name = "Authorization", required = false) String auth,
            @PathVariable String jobId) {
        String user = tokens.authenticate(auth);
        return store.find(user, jobId).orElseThrow(ApiException::jobNotFound).toJson();
    }

    @GetMapping("/api/v1/jobs/{jobId}/args")
    ResponseEntity<String> args(@RequestHeader(name = "Authorization", required = false) String auth,
            @PathVariable String jobId) {
        String user = tokens.authenticate(auth);
        JobRecord job = store.find(user, jobId).orElseThrow(ApiException::jobNotFound);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(store.args(job.jobId()));
    }

    @PostMapping({"/api/v1/poet/align/msa", "/api/v1/align/msa"})
    Map<String, Object> create(@RequestHeader(name = "Authorization", required = false) String auth,
            @RequestPart(name = "msa_file", required = false) MultipartFile file,
            @RequestParam(name = "is_seed", required = false) String isSeed) throws IOException {
        String user = tokens.authenticate(auth);
        if (file == null) {
            throw ApiException.invalid("body", "msa_file", "Field required", "missing");
        }
        boolean seedMode = bool("is_seed", isSeed, true);
        String content = new String(file.getBytes(), StandardCharsets.UTF_8);
        String seed = SeedParser.seed(content, settings.maxSeedLength());
        String jobId = UUID.randomUUID().toString();
        long now = JobRecord.micros(clock.instant());
        JobRecord job = new JobRecord(jobId, user, JobRecord.ALIGN, "PENDING", now, null, null, 0, null,
                seed.replace(":", "").length(), null);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("is_seed", seedMode);
        args.put("msa_file", file.getOriginalFilename());
        args.put("job_type", JobRecord.ALIGN);
        store.insert(job, seed, seed, json.writeValueAsString(args));
        stats.submission();
        scheduler.enqueue(user, jobId);
        return job.toJson();
    }

    @GetMapping({"/api/v1/poet/align/msa", "/api/v1/align/msa", "/api/v1/align/inputs", "/api/v1/poet/align/inputs"})
    ResponseEntity<String> msa(@RequestHeader(name = "Authorization", required = false) String auth,
            @RequestHeader(name = "Accept", required = false) String accept,
            @RequestParam(name = "job_id", required = false) String jobId,
            @RequestParam(name = "msa_type", required = false) String msaType) {
        String user = tokens.authenticate(auth);
        if (jobId == null || jobId.isBlank()) {
            throw ApiException.invalid("query", "job_id", "Field required", "missing");
        }
        String type = msaType == null || msaType.isBlank() ? "GENERATED" : msaType.trim().toUpperCase(Locale.ROOT);
        if (!type.equals("GENERATED") && !type.equals("RAW")) {
            throw ApiException.invalid("query", "msa_type", "Input should be 'GENERATED' or 'RAW'", "enum");
        }
        JobRecord job = store.find(user, jobId.trim()).orElseThrow(ApiException::jobNotFound);
        List<MsaRow> rows;
        if (type.equals("RAW")) {
            rows = List.of(new MsaRow("101", store.rawSeed(job.jobId())));
        } else {
            if (!job.status().equals("SUCCESS")) {
                throw new ApiException(409, "Job " + job.jobId() + " has not produced results yet (status: "
                        + job.status() + "). Results are only available once the job completes successfully.",
                        job.status());
            }
            rows = MsaFormat.parseCsv(store.result(job.jobId()).orElseThrow(
                    () -> new ApiException(500, "Result missing", job.status())));
        }
        boolean fasta = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/x-fasta");
        return ResponseEntity.ok().header("job_status", job.status()).contentType(fasta ? FASTA : CSV)
                .body(fasta ? MsaFormat.fasta(rows) : MsaFormat.csv(rows));
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

    private static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(value.trim());
            if (i < min) {
                throw ApiException.invalid("query", name, "Input should be greater than or equal to " + min,
                        "greater_than_equal");
            }
            if (i > max) {
                throw ApiException.invalid("query", name, "Input should be less than or equal to " + max,
                        "less_than_equal");
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("query", name, "Input should be a valid integer", "int_parsing");
        }
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
