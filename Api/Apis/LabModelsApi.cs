using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Api.Lab;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Tenancy.Lab;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The Lab's model registry (issue 15): a super admin uploads an interruption model (ONNX or ML.NET zip), it runs
/// MOD-VAL-01 in the sandbox, and only a model that passed is stored. Every upload is in the admin's ledger, the
/// rejected ones too (<c>lab.model_rejected</c>), so who tried which file is on record. The list shows the built-in
/// model first, then the uploads, each with its status against the production pointer.
/// </summary>
public static class LabModelsApi
{
    public const string Route = "/models";
    public const string RejectedAction = "lab.model_rejected";
    private const int MaxNameLength = 100;

    // Multipart boundaries and the other fields around the file.
    private const long FormOverheadBytes = 64 * 1024;

    public static RouteGroupBuilder MapLabModelsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost($"{Route}/upload", Upload).Accepts<ModelUploadForm>("multipart/form-data").Produces<ModelView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapGet(Route, List).Produces<ModelList>();
        return admin;
    }

    /// <summary>Accepted spellings of <c>training_from</c> / <c>training_to</c>: an ISO 8601 date, or a date-time (UTC unless it says otherwise).</summary>
    private static readonly string[] IsoDates = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static async Task<IResult> List(ModelRegistry registry, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var production = await grains.GetGrain<IProductionModelGrain>(IProductionModelGrain.Key).Get();
        var uploaded = await registry.ListAsync(cancellationToken);
        return TypedResults.Ok(new ModelList([Builtin(production), .. uploaded.Select(r => View(r, Status(r.Id, production)))]));
    }

    public static async Task<IResult> Upload(
        HttpRequest request, ClaimsPrincipal admin, ModelSandboxHost sandbox, ModelRegistry registry, AuditLedger ledger, IOptions<ModelSandboxOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxModelBytes;
        if (request.ContentLength > maxBytes + FormOverheadBytes) return TooLarge(maxBytes);
        // Kestrel's default body limit (30 MB) would cut a larger allowed model off with a bare 413.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = maxBytes + FormOverheadBytes;
        if (!request.HasFormContentType) return Problems.BadRequest("multipart_required", "Send the model as multipart/form-data in the field 'file'.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes + FormOverheadBytes }, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            return exception.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? TooLarge(maxBytes) : Problems.BadRequest("multipart_invalid", exception.Message);
        }

        var (upload, problem) = Read(form, maxBytes, time.GetUtcNow());
        if (problem is not null) return problem;
        var content = new byte[upload!.File.Length];
        await using (var stream = upload.File.OpenReadStream()) await stream.ReadExactlyAsync(content, cancellationToken);
        var format = ModelFormats.Detect(content);
        var verdict = await sandbox.TrialAsync(content, format, cancellationToken);
        if (!verdict.Report.Passed)
        {
            await ledger.RecordAsync(admin.OrganizationId(), admin.Actor(), RejectedAction, $"model:{upload.Name}", JsonSerializer.Serialize(new
            {
                upload.Name, upload.Version, Format = format, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), SizeBytes = content.Length,
                verdict.Report.FailedCheck, verdict.Report.Detail,
            }, ApiJson.Options), cancellationToken);
            return Problems.Unprocessable(verdict.Report.FailedCheck!, verdict.Report.Detail);
        }

        var record = await registry.RegisterAsync(admin.OrganizationId(), admin.Actor(),
            new ModelRegistration(upload.Name, upload.Version, format, content, verdict.Json, upload.TrainingFrom, upload.TrainingTo), cancellationToken);
        return record is null
            ? Problems.Conflict("model_version_exists", $"Model '{upload.Name}' already has version '{upload.Version}'.")
            : TypedResults.Created($"/api/admin{Route}/{record.Id}", View(record, ModelStatuses.Candidate));
    }

    private static (ModelUpload? Upload, IResult? Problem) Read(IFormCollection form, long maxBytes, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var file = form.Files.GetFile("file");
        if (file is null) errors.Add("file", "is required (multipart/form-data field 'file').");
        var name = form["name"].ToString().Trim();
        if (name.Length == 0 && file is not null) name = Path.GetFileNameWithoutExtension(file.FileName);
        if (name.Length is 0 or > MaxNameLength) errors.Add("name", $"must be 1–{MaxNameLength} characters (default: the file's name).");
        var version = form["version"].ToString().Trim();
        if (version.Length > MaxNameLength) errors.Add("version", $"must be at most {MaxNameLength} characters.");
        var (from, to) = (Date(form, "training_from", errors), Date(form, "training_to", errors));
        if (from > to) errors.Add("training_to", "must not be before training_from.");
        // A model cannot have learned from data not yet seen.
        if (from > now) errors.Add("training_from", "must not be in the future.");
        if (to > now) errors.Add("training_to", "must not be in the future.");
        if (errors.Any) return (null, Problems.Validation(errors.ToDictionary()));
        if (file!.Length > maxBytes) return (null, TooLarge(maxBytes));
        if (file.Length == 0) return (null, Problems.Unprocessable(ModelChecks.Unreadable, "The file is empty."));
        return (new ModelUpload(file, name, version.Length == 0 ? null : version, from, to), null);
    }

    private static DateTimeOffset? Date(IFormCollection form, string field, ValidationErrors errors)
    {
        var raw = form[field].ToString().Trim();
        if (raw.Length == 0) return null;
        if (DateTimeOffset.TryParseExact(raw, IsoDates, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        errors.Add(field, "must be an ISO 8601 date (2026-03-01) or date-time (2026-03-01T00:00:00Z).");
        return null;
    }

    private static IResult TooLarge(long maxBytes) =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, ModelChecks.TooLarge, "The model is too large.", $"Models may be at most {maxBytes} bytes (Lab:Sandbox:MaxModelBytes).");

    private static ModelView View(ModelRecord r, string status)
    {
        using var validation = JsonDocument.Parse(r.ValidationJson);
        var training = r.TrainingFrom is null && r.TrainingTo is null ? null : new TrainingWindow(r.TrainingFrom, r.TrainingTo);
        return new ModelView(r.Id, r.Name, r.Version, r.Format, status, r.Sha256, r.SizeBytes, r.UploadedBy, r.UploadedAt, training, validation.RootElement.Clone());
    }

    /// <summary>The built-in model: validated by its loader at start rather than the sandbox, so its scores are its held-out evaluation.</summary>
    private static ModelView Builtin(ProductionModelView production)
    {
        var artifact = BuiltinModel.Artifact;
        return new ModelView(BuiltinModel.Id, BuiltinModel.Name, BuiltinModel.Version, InterruptionModelArtifact.FormatName, Status(BuiltinModel.Id, production),
            BuiltinModel.Sha256, BuiltinModel.SizeBytes, null, null, new TrainingWindow(artifact.Training.From, artifact.Training.To),
            JsonSerializer.SerializeToElement(new { artifact.Evaluation }, ApiJson.Options));
    }

    private static string Status(string id, ProductionModelView production) =>
        id == production.Current.ModelId ? ModelStatuses.Production : id == production.Previous?.ModelId ? ModelStatuses.Previous : ModelStatuses.Candidate;

    private sealed record ModelUpload(IFormFile File, string Name, string? Version, DateTimeOffset? TrainingFrom, DateTimeOffset? TrainingTo);

    /// <summary>The upload's form as the OpenAPI document describes it (the handler reads the form itself, to answer with our codes).</summary>
    public sealed class ModelUploadForm
    {
        public required IFormFile File { get; init; }

        /// <summary>The model's name; the file's name without its extension when left out.</summary>
        public string? Name { get; init; }

        /// <summary>The version under that name; the name's next number when left out (a taken one is 409).</summary>
        public string? Version { get; init; }

        /// <summary>First day (or instant) of the data the model was trained on: an ISO 8601 date or date-time, not in the future.</summary>
        public string? TrainingFrom { get; init; }

        /// <summary>Last day (or instant) of its training data, not before <c>training_from</c>.</summary>
        public string? TrainingTo { get; init; }
    }

    /// <summary>Where a model stands against the production pointer.</summary>
    public static class ModelStatuses
    {
        public const string Production = "production";

        /// <summary>What <c>POST /api/lab/rollback</c> would bring back.</summary>
        public const string Previous = "previous";

        public const string Candidate = "candidate";
    }

    /// <summary>
    /// A model the Lab knows: <c>builtin</c> (shipped with the platform; no uploader) or a registered upload.
    /// <c>validation</c> is the sandbox's report for an upload (scores on the trial batch, timings), and
    /// <c>{"evaluation": …}</c>, its held-out scores, for the built-in model. <c>training</c> is null when the uploader gave no window.
    /// </summary>
    /// <param name="Status"><c>production</c>, <c>previous</c> (what a rollback brings back) or <c>candidate</c>.</param>
    public sealed record ModelView(
        string Id, string Name, string Version, string Format, string Status, string Sha256, long SizeBytes, string? UploadedBy, DateTimeOffset? UploadedAt,
        TrainingWindow? Training, JsonElement Validation);

    /// <summary>The span of the data a model learned from; either end may be unknown for an upload.</summary>
    public sealed record TrainingWindow(DateTimeOffset? From, DateTimeOffset? To);

    public sealed record ModelList(IReadOnlyList<ModelView> Models);
}
