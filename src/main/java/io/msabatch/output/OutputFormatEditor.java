package io.msabatch.output;

import java.beans.PropertyEditorSupport;

/**
 * Converts a setting's text to an {@link OutputFormat} with {@link OutputFormat#parse}, so that a wrong
 * {@code pipeline.output-format} is answered with the allowed values rather than "No enum constant". Spring's binder
 * finds this editor by its name ({@code <Type>Editor} beside the type), so no registration is needed.
 */
public class OutputFormatEditor extends PropertyEditorSupport {

    @Override
    public void setAsText(String text) {
        setValue(OutputFormat.parse(text));
    }

    @Override
    public String getAsText() {
        Object value = getValue();
        return value instanceof OutputFormat f ? f.extension() : "";
    }
}
