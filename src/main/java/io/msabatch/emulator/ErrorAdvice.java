package io.msabatch.emulator;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.http.converter.HttpMessageNotReadableException;

/** Maps every failure to the contract's error bodies ({@code {"detail": ...}}); never leaks a stack trace. */
@RestControllerAdvice
class ErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(ErrorAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.jobStatus() != null) {
            b.header("job_status", e.jobStatus());
        }
        return b.body(Map.of("detail", e.detail()));
    }

    @ExceptionHandler(CloudFrontPage.Answer.class)
    ResponseEntity<byte[]> cloudFront(CloudFrontPage.Answer e) {
        CloudFrontPage page = e.page();
        ResponseEntity.BodyBuilder b = ResponseEntity.status(page.status())
                .contentType(MediaType.parseMediaType(CloudFrontPage.CONTENT_TYPE));
        page.headers().forEach((k, v) -> b.header(k, v));
        return b.body(page.body());
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Object> missingPart(MissingServletRequestPartException e) {
        return api(ApiException.invalid("body", e.getRequestPartName(), "Field required", "missing"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingParameter(MissingServletRequestParameterException e) {
        return api(ApiException.invalid("query", e.getParameterName(), "Field required", "missing"));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> tooLarge(MaxUploadSizeExceededException e) {
        return api(new ApiException(413, "Request entity too large"));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> badMultipart(MultipartException e) {
        if (e.getRootCause() instanceof IllegalStateException ise && ise.getMessage() != null
                && ise.getMessage().contains("exceed")) {
            return tooLarge(null);
        }
        return api(ApiException.invalid("body", "msa_file", "Expected a multipart/form-data upload", "value_error"));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
        return api(ApiException.invalid("body", "body", "Invalid JSON body", "json_invalid"));
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeException e) {
        return api(ApiException.invalid("body", "body", "Unsupported content type", "value_error"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> notFound(NoResourceFoundException e) {
        return api(new ApiException(404, "Not Found"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e) {
        return api(new ApiException(405, "Method Not Allowed"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> other(Exception e) {
        log.warn("Emulator request failed: {}", e.toString());
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("detail", "Internal Server Error"));
    }
}
