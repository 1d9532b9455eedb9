package io.msabatch.api;

/**
 * The MSA of a job was asked for before the job reached {@code SUCCESS}: a 409, or the older 200 with an empty
 * body. Neither transient nor permanent: the job exists and the caller should wait for it. {@link #jobStatus()}
 * is the {@code job_status} header's value ({@link JobStatus#UNKNOWN} when absent or new).
 */
public class JobNotReadyException extends OpenProteinException {

    private final JobStatus jobStatus;

    public JobNotReadyException(String message, int status, String route, String jobId, String detail,
                                JobStatus jobStatus) {
        super(message, status, route, jobId, detail, null);
        this.jobStatus = jobStatus;
    }

    public JobStatus jobStatus() {
        return jobStatus;
    }
}
