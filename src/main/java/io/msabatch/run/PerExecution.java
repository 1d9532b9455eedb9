package io.msabatch.run;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;

/**
 * A bean that lives for one job execution (Spring Batch's job scope) and is injected as itself, not through a proxy:
 * only step-scoped and job-scoped beans, created while the execution runs, may depend on it. Records and final
 * classes can be scoped this way.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Scope(value = "job", proxyMode = ScopedProxyMode.NO)
public @interface PerExecution {
}
