package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(self.operator in ['In', 'NotIn']) == (has(self.values) && size(self.values) > 0)",
        message = "values: required (non-empty) for In and NotIn, not allowed for Exists and DoesNotExist")
public class LabelRequirement {
    @Required
    @Size(min = 1, max = 317)
    @JsonPropertyDescription("The label key.")
    public String key;

    @Required
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    public LabelOperator operator;

    @Size(max = 64)
    @JsonPropertyDescription("Label values, for In and NotIn.")
    public List<@Size(max = 63) String> values;

    public enum LabelOperator { In, NotIn, Exists, DoesNotExist }
}
