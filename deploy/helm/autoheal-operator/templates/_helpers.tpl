{{/* Name of every object: fixed (one operator per cluster owns cluster-scoped roles), overridable per shard. */}}
{{- define "autoheal.fullname" -}}
{{- default "autoheal-operator" .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: the same as the kustomize base, so both select the same pods. */}}
{{- define "autoheal.selectorLabels" -}}
app.kubernetes.io/name: autoheal-operator
app.kubernetes.io/component: operator
{{- end -}}

{{- define "autoheal.labels" -}}
app.kubernetes.io/name: autoheal-operator
app.kubernetes.io/part-of: autoheal
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "autoheal.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}
