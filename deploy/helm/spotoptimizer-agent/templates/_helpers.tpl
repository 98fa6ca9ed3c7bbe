{{/* Labels every object carries; the selector labels are the stable subset. */}}
{{- define "spotoptimizer-agent.selectorLabels" -}}
app.kubernetes.io/name: spotoptimizer-agent
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "spotoptimizer-agent.labels" -}}
{{ include "spotoptimizer-agent.selectorLabels" . }}
app.kubernetes.io/part-of: spotoptimizer
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
spotoptimizer.io/cluster-id: {{ required "Set cluster.id (from POST /api/clusters/connect)" .Values.cluster.id | quote }}
{{- end }}

{{- define "spotoptimizer-agent.secretName" -}}
{{ .Values.agent.existingSecret | default .Release.Name }}
{{- end }}
