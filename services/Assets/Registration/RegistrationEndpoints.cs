using System.Net.Mime;
using System.Security.Claims;
using System.Text.Json;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Csv;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Assets.Registration;

public static class RegistrationEndpoints
{
    public const int MaxBatchRows = 5_000;

    /// <summary>5,000 devices with every column filled are about 3 MB as JSON; the rest is headroom for long texts.</summary>
    private const long MaxBatchBodyBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapRegistrationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/devices", RegisterDevice).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(RegisterDevice))
            .WithSummary("Register one device (or update it when its serial is already this school's); Idempotency-Key supported.")
            .Accepts<DeviceRow>(MediaTypeNames.Application.Json)
            .Produces<DeviceResponse>(StatusCodes.Status201Created).Produces<DeviceResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/devices/batch", RegisterBatch).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(RegisterBatch))
            .WithSummary($"Register up to {MaxBatchRows:N0} devices at once, as JSON ({{\"devices\": [...]}}) or CSV (text/csv): all rows or none.")
            .WithDescription("Every row is checked; one bad row and nothing is stored, and the problem lists every bad row (`rows`: row, field, "
                + "reason; rows count from 1, for CSV from the first line after the header). Idempotent by serial number (a known serial of "
                + "the same school is updated, or left alone when nothing differs) and by Idempotency-Key (a repeat returns the first answer; "
                + "the same key with a different body is refused with 422). A serial of another school is a conflict (409) that names no school. "
                + "CSV: the header names the columns (the JSON field names, any order), comma or semicolon separated, UTF-8.")
            .Accepts<DeviceBatchRequest>(MediaTypeNames.Application.Json, DeviceCsv.MediaType)
            .Produces<RegistrationResult>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBodyBytes));
        return group;
    }

    public static async Task<IResult> RegisterDevice(
        [AsParameters] RegistrationTarget target, HttpRequest request, ClaimsPrincipal user, AssetsDbContext db,
        DeviceRegistrar registrar, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        if (!IsJson(request))
        {
            return UnsupportedMediaType("application/json");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        var row = JsonSerializer.Deserialize<DeviceRow>(body.Span, json.Value.SerializerOptions)
                  ?? throw new JsonException("A device is required.", "$", null, null);
        return await RegisterAsync(target, [row], [], [], body, request, user, db, registrar, clock, json.Value.SerializerOptions,
            async result =>
            {
                var registered = result.Devices[0];
                var device = await db.Devices.SingleAsync(d => d.Id == registered.DeviceId, cancellationToken);
                var location = $"{AssetsService.PathPrefix}/devices/{device.Id}";
                var answer = await DeviceEndpoints.AnswerAsync(db, device, cancellationToken);
                return registered.Outcome == RowOutcome.Created ? WriteOutcome.Created(answer, location) : WriteOutcome.Ok(answer, location);
            }, singleDevice: true, cancellationToken);
    }

    public static async Task<IResult> RegisterBatch(
        [AsParameters] RegistrationTarget target, HttpRequest request, ClaimsPrincipal user, AssetsDbContext db,
        DeviceRegistrar registrar, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var csv = request.ContentType is { } type && type.StartsWith(DeviceCsv.MediaType, StringComparison.OrdinalIgnoreCase);
        if (!csv && !IsJson(request))
        {
            return UnsupportedMediaType($"application/json or {DeviceCsv.MediaType}");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        List<DeviceRow> rows;
        List<RowError> parseErrors = [];
        IReadOnlyList<string?> schoolNumbers = [];
        try
        {
            if (csv)
            {
                (rows, parseErrors, schoolNumbers) = DeviceCsv.Read(body, MaxBatchRows);
            }
            else
            {
                var batch = JsonSerializer.Deserialize<DeviceBatchRequest>(body.Span, json.Value.SerializerOptions);
                rows = [.. batch?.Devices ?? throw new JsonException("The field devices is required.", "$.devices", null, null)];
                if (rows.Count > MaxBatchRows)
                {
                    throw new TooManyRowsException(MaxBatchRows, "devices");
                }

                if (rows.Any(r => r is null))
                {
                    throw new JsonException("A device cannot be null.", "$.devices", null, null);
                }
            }
        }
        catch (CsvFormatException bad)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed CSV", bad.Message,
                new Dictionary<string, object?> { ["line"] = bad.Line });
        }
        catch (TooManyRowsException tooMany)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Batch too large",
                $"{tooMany.Message} Split the devices into several requests.", new Dictionary<string, object?> { ["maxRows"] = tooMany.MaxRows });
        }

        if (rows.Count == 0)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["devices"] = ["At least one device."] });
        }

        return await RegisterAsync(target, rows, parseErrors, schoolNumbers, body, request, user, db, registrar, clock,
            json.Value.SerializerOptions, result => Task.FromResult(WriteOutcome.Ok(result)), singleDevice: false, cancellationToken);
    }

    /// <summary>
    /// The part single and batch registration share: which school, then the write under the Idempotency-Key, claimed before it: a
    /// batch is costly to redo, and the same batch twice at once would collide on its serial numbers.
    /// </summary>
    private static async Task<IResult> RegisterAsync(
        RegistrationTarget target, IReadOnlyList<DeviceRow> rows, IReadOnlyList<RowError> parseErrors, IReadOnlyList<string?> rowSchoolNumbers,
        ReadOnlyMemory<byte> body,
        HttpRequest request, ClaimsPrincipal user, AssetsDbContext db, DeviceRegistrar registrar, TimeProvider clock,
        JsonSerializerOptions json, Func<RegistrationResult, Task<WriteOutcome>> answer, bool singleDevice, CancellationToken cancellationToken)
    {
        // The platform's one rule for a school a write names: another school's (for a key) 404, an unknown one 422, two different ones 400.
        var required = await SchoolSelection.RequireAsync(db, user, target.SchoolId, target.SchoolNumber, cancellationToken);
        if (required.Refused(out var refusal))
        {
            return refusal;
        }

        var school = required.School!;
        var schoolId = school.SchoolId;
        if (rowSchoolNumbers.Any(number => number is not null))
        {
            parseErrors = [.. parseErrors, .. DeviceCsv.ForeignRows(rowSchoolNumbers, school.Number)];
        }

        return await IdempotentWrite.RunOnSentBodyAsync(db, request, user, body, clock, json, async _ =>
        {
            var outcome = await registrar.RegisterAsync(schoolId, rows, user.Actor(), parseErrors, cancellationToken);
            if (outcome.Result is null)
            {
                return WriteOutcome.Refused(singleDevice ? SingleDeviceRefused(outcome) : BatchRefused(outcome));
            }

            var registered = outcome.Result.Created;
            request.HttpContext.Response.CountOnSuccess(() => request.HttpContext.RequestServices.GetRequiredService<RegistrationMetrics>().Registered(registered));

            return await answer(outcome.Result);
        }, cancellationToken);
    }

    private static ProblemHttpResult BatchRefused(RegistrationOutcome outcome)
    {
        var rows = outcome.Errors.Select(e => new { row = e.Row, field = e.Field, reason = e.Reason }).ToList();
        var badRows = outcome.Errors.Select(e => e.Row).Distinct().Count();
        return outcome.OnlyConflicts
            ? ApiProblems.Conflict($"{badRows} serial number(s) are registered to another school. Nothing was stored.",
                new Dictionary<string, object?> { ["rows"] = rows })
            : ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.BatchRejected, "Batch rejected",
                $"{badRows} row(s) cannot be registered; nothing was stored. Correct them and send the whole batch again.",
                new Dictionary<string, object?> { ["rows"] = rows });
    }

    /// <summary>One device refused: the usual validation problem with its fields, or the conflict.</summary>
    private static IResult SingleDeviceRefused(RegistrationOutcome outcome)
    {
        if (outcome.OnlyConflicts)
        {
            return ApiProblems.Conflict($"The serial number is {DeviceRegistrar.SerialTakenReason[..1].ToLowerInvariant()}{DeviceRegistrar.SerialTakenReason[1..]}");
        }

        return ApiProblems.Validation(SchoolContext.ByField(outcome.Errors.Select(e => (e.Field, e.Reason))));
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase);

    private static ProblemHttpResult UnsupportedMediaType(string expected) =>
        ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
            $"Send the body as {expected}.");

    /// <summary>The whole body (bounded by the endpoint's size limit): hashed for the Idempotency-Key, then parsed.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length and < MaxBatchBodyBytes ? (int)length : 64 * 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
