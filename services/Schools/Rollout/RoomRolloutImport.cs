using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mep.Contracts;
using Mep.ServiceDefaults.Csv;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mep.Schools.Rollout;

/// <summary>One row the import could not apply: its number (1 = first row after the header), the column, and why.</summary>
public sealed record RoomRowError(int Row, string Field, string Reason);

/// <summary>What an import changed and what the school's rollout looks like afterwards.</summary>
public sealed record RoomImportResult(
    [Range(0, RoomRolloutImport.MaxRows)] int Rows, [Range(0, RoomRolloutImport.MaxRows)] int RoomsChanged, RolloutStatus Status, RoomCoverage Coverage, IReadOnlyList<RolloutFinding> Violations, IReadOnlyList<RolloutFinding> Blocked);

/// <summary>
/// Bulk room updates for installers: a CSV of one school's rooms with their new state, validated row by row and applied all
/// or nothing. A room is named by building and room number as on site (or by roomId); a blank cell keeps the room's value.
/// </summary>
public static class RoomRolloutImport
{
    public const string MediaType = "text/csv";
    public const int MaxRows = 2_000;

    public static readonly IReadOnlyList<string> Columns =
        ["building", "room", "roomId", "wlan", "accessPointsPlanned", "accessPointsInstalled", "boardSystemPlanned", "computerRoomReplacement"];

    public static RouteGroupBuilder MapRoomRolloutImport(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/rollout/rooms", ImportRoomRollout).RequireAuthorization(SchoolsAccess.Write)
            .Accepts<string>(MediaType)
            .WithName(nameof(ImportRoomRollout))
            .WithSummary("Update many rooms of a school from a CSV (building;room;wlan;accessPointsPlanned;...): all rows or none, with a per-row report.");
        return group;
    }

    public static async Task<Results<Ok<RoomImportResult>, ProblemHttpResult>> ImportRoomRollout(
        Guid id, HttpRequest request, RolloutLedger ledger, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"Send the rooms as {MediaType}.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        CsvTable table;
        try
        {
            table = CsvTable.Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Columns, [], MaxRows, "rooms");
        }
        catch (CsvFormatException bad)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed CSV", bad.Message,
                new Dictionary<string, object?> { ["line"] = bad.Line });
        }
        catch (TooManyRowsException tooMany)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Too many rows",
                $"{tooMany.Message} Split the rooms into several files.", new Dictionary<string, object?> { ["maxRows"] = tooMany.MaxRows });
        }

        if (!table.Has("roomId") && !(table.Has("building") && table.Has("room")))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed CSV",
                "Name the rooms with the columns building and room (as on site), or roomId.", new Dictionary<string, object?> { ["line"] = 1 });
        }

        if (table.Rows.Count == 0)
        {
            return ApiProblems.Malformed("The CSV has a header but no rooms.");
        }

        var changed = 0;
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            var state = (await ledger.LoadAsync(id, tracking: true, cancellationToken))!;
            var errors = new List<RoomRowError>();
            var changes = ReadChanges(table, state, errors);
            changed = 0;
            foreach (var (number, room, change) in changes)
            {
                try
                {
                    if (room.Rollout.Current != change)
                    {
                        room.Rollout.Change(change, clock.GetUtcNow());
                        changed++;
                    }
                }
                catch (DomainRuleException rule)
                {
                    errors.Add(new RoomRowError(number, "accessPointsInstalled", rule.Message));
                }
            }

            if (errors.Count > 0)
            {
                // Nothing is saved: the ledger rolls the transaction back.
                var rows = errors.OrderBy(e => e.Row).ToList();
                return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.BatchRejected, "Rooms rejected",
                    $"{rows.Select(e => e.Row).Distinct().Count()} row(s) cannot be applied; nothing was changed. Correct them and send the whole file again.",
                    new Dictionary<string, object?> { ["rows"] = rows });
            }

            return null;
        }, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var after = (await ledger.ReadAsync(id, cancellationToken))!;
        return TypedResults.Ok(new RoomImportResult(table.Rows.Count, changed, after.Assessment.Status, RolloutView.CoverageOf(after),
            after.Assessment.Violations, after.Assessment.Blocked));
    }

    /// <summary>Each row's room and its state after the row: blank cells keep the room's value; bad cells become row errors.</summary>
    private static List<(int Row, RoomInRollout Room, RoomRolloutChange Change)> ReadChanges(CsvTable table, RolloutState state, List<RoomRowError> errors)
    {
        var buildingNames = state.Buildings.ToDictionary(b => b.Building.Id, b => b.Building.Name);
        var byId = state.Rooms.ToDictionary(r => r.Room.Id);
        var bySite = state.Rooms.ToDictionary(r => (buildingNames[r.Room.BuildingId].ToUpperInvariant(), r.Room.Number.ToUpperInvariant()));
        var firstRowOfRoom = new Dictionary<Guid, int>();
        var changes = new List<(int, RoomInRollout, RoomRolloutChange)>();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var (number, record) = (i + 1, table.Rows[i]);
            var errorsBefore = errors.Count;
            string? Text(string column) => table.Text(record, column);
            void Error(string field, string reason) => errors.Add(new RoomRowError(number, field, reason));

            RoomInRollout? room = null;
            if (Text("roomId") is { } roomIdText)
            {
                if (!Guid.TryParse(roomIdText, out var roomId) || !byId.TryGetValue(roomId, out room))
                {
                    Error("roomId", $"\"{CsvTable.Shorten(roomIdText)}\" is not a room of this school.");
                }
            }
            else if (Text("building") is not { } building || Text("room") is not { } roomNumber)
            {
                Error(Text("building") is null ? "building" : "room", "Required: the building and room number as on site, or the roomId.");
            }
            else if (!bySite.TryGetValue((building.ToUpperInvariant(), roomNumber.ToUpperInvariant()), out room))
            {
                Error("room", $"The school has no room {CsvTable.Shorten(roomNumber)} in a building named \"{CsvTable.Shorten(building)}\".");
            }

            if (room is not null && !firstRowOfRoom.TryAdd(room.Room.Id, number))
            {
                Error("room", $"The same room is in row {firstRowOfRoom[room.Room.Id]} already.");
            }

            TEnum Choice<TEnum>(string column, TEnum current) where TEnum : struct, Enum
            {
                if (Text(column) is not { } text)
                {
                    return current;
                }

                if (EnumText.TryParseName<TEnum>(text, out var value))
                {
                    return value;
                }

                Error(column, $"\"{CsvTable.Shorten(text)}\" is not one of {string.Join(", ", Enum.GetValues<TEnum>().Select(EnumText.CamelName))}.");
                return current;
            }

            int Count(string column, int current)
            {
                if (Text(column) is not { } text)
                {
                    return current;
                }

                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100)
                {
                    return value;
                }

                Error(column, $"\"{CsvTable.Shorten(text)}\" is not a whole number from 0 to 100.");
                return current;
            }

            bool YesNo(string column, bool current)
            {
                var text = Text(column)?.ToLowerInvariant();
                switch (text)
                {
                    case null:
                        return current;
                    case "true" or "yes" or "ja" or "1" or "x":
                        return true;
                    case "false" or "no" or "nein" or "0":
                        return false;
                    default:
                        Error(column, $"\"{CsvTable.Shorten(text)}\" is not yes or no (true/false, ja/nein, 1/0).");
                        return current;
                }
            }

            // Without a room the row is reported; its values are still read so that every bad cell is reported at once.
            var current = room?.Rollout.Current ?? new RoomRolloutChange(WlanCoverage.Planned, 0, 0, false, WorkStatus.NotStarted);
            var change = new RoomRolloutChange(
                Choice("wlan", current.Wlan),
                Count("accessPointsPlanned", current.AccessPointsPlanned),
                Count("accessPointsInstalled", current.AccessPointsInstalled),
                YesNo("boardSystemPlanned", current.BoardSystemPlanned),
                Choice("computerRoomReplacement", current.ComputerRoomReplacement));
            if (room is not null && errors.Count == errorsBefore)
            {
                changes.Add((number, room, change));
            }
        }

        return changes;
    }
}
