{{- define "hdp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hdp.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hdp.labels" -}}
{{ include "hdp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "hdp.serviceAccountName" -}}
{{- default (include "hdp.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* KEDA wants the Event Hubs namespace and storage account by name; the app gets them fully qualified. */}}
{{- define "hdp.eventHubNamespaceName" -}}
{{- first (splitList "." .Values.deviceIngest.eventHub.namespace) -}}
{{- end -}}

{{- define "hdp.storageAccountName" -}}
{{- first (splitList "." (trimPrefix "https://" .Values.deviceIngest.checkpoint.storageAccountUrl)) -}}
{{- end -}}

{{/* Where the files-mode secrets Secret is mounted: SECRETS_DIR. */}}
{{- define "hdp.secretsDir" -}}
/var/run/secrets/health-data-platform
{{- end -}}

{{/*
The V8 heap cap (MiB) for the container's memory limit: three quarters of it, so buffers, code and the
stacks fit in the rest and the pod is not OOM-killed before V8 collects. The limit must be given in Mi or Gi.
*/}}
{{- define "hdp.heapMiB" -}}
{{- $limit := .Values.resources.limits.memory | toString -}}
{{- $mib := 0 -}}
{{- if hasSuffix "Gi" $limit -}}
{{- $mib = mul (trimSuffix "Gi" $limit | atoi) 1024 -}}
{{- else if hasSuffix "Mi" $limit -}}
{{- $mib = trimSuffix "Mi" $limit | atoi -}}
{{- end -}}
{{- if lt $mib 128 -}}
{{- fail "resources.limits.memory must be a whole number of Mi or Gi, at least 128Mi" -}}
{{- end -}}
{{- div (mul $mib 3) 4 -}}
{{- end -}}
