using System.ComponentModel.DataAnnotations;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Registration;

/// <summary>One reason a row was refused. <paramref name="Row"/> counts from 1 (the first device of a JSON batch, the first data line of a CSV).</summary>
public sealed record RowError(int Row, string Field, string Reason);

public enum RowOutcome
{
    Created,
    Updated,
    Unchanged,
}

public sealed record RegisteredRow(
    [Range(1, RegistrationEndpoints.MaxBatchRows)] int Row, [MaxLength(SerialNumber.MaxLength)] string SerialNumber, Guid DeviceId, RowOutcome Outcome);

public sealed record RegistrationResult(
    [Range(0, RegistrationEndpoints.MaxBatchRows)] int Created, [Range(0, RegistrationEndpoints.MaxBatchRows)] int Updated,
    [Range(0, RegistrationEndpoints.MaxBatchRows)] int Unchanged, [MaxLength(RegistrationEndpoints.MaxBatchRows)] IReadOnlyList<RegisteredRow> Devices);

/// <summary>The outcome of checking and applying rows: either applied (all of them) or refused (none of them) with the reasons.</summary>
public sealed record RegistrationOutcome(RegistrationResult? Result, IReadOnlyList<RowError> Errors)
{
    /// <summary>Refused only because serials belong to other schools: a conflict with stored state (409), not bad input (422).</summary>
    public bool OnlyConflicts => Errors.Count > 0 && Errors.All(e => e.Reason == DeviceRegistrar.SerialTakenReason);
}

/// <summary>
/// Registers devices for one school: new serials are created, known serials of the same school are updated
/// (and moved through their lifecycle when the row names a status), rows equal to what is stored change
/// nothing. Every row is checked first; one bad row and nothing is written. Must run inside the caller's
/// transaction, which also holds the Idempotency-Key claim.
/// </summary>
public sealed class DeviceRegistrar(AssetsDbContext db, TimeProvider clock)
{
    /// <summary>Names no school: a key must not learn which school owns a serial.</summary>
    public const string SerialTakenReason = "Already registered to another school.";

    /// <param name="readErrors">Values the reader could not read (a CSV amount that is no number); the rows are still checked, so the report is complete.</param>
    public async Task<RegistrationOutcome> RegisterAsync(Guid schoolId, IReadOnlyList<DeviceRow> rows, string actor, IReadOnlyList<RowError> readErrors,
        CancellationToken cancellationToken)
    {
        // Asked for before the rows are checked, so that PostgreSQL looks the serials up while this thread checks the rows.
        var lookup = ExistingDevicesAsync(rows, cancellationToken);
        var errors = new List<RowError>(readErrors);
        var checkedRows = new CheckedDeviceRow?[rows.Count];
        var firstRowOfSerial = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var fieldErrors = new ValidationErrors();
            checkedRows[i] = DeviceRules.Check(rows[i], fieldErrors);
            if (!fieldErrors.IsEmpty)
            {
                foreach (var (field, messages) in fieldErrors.ToDictionary())
                {
                    errors.AddRange(messages.Select(message => new RowError(i + 1, field, message)));
                }
            }

            if (checkedRows[i] is { } row && !firstRowOfSerial.TryAdd(row.SerialNumber, i + 1))
            {
                errors.Add(new RowError(i + 1, "serialNumber", $"The same serial number is in row {firstRowOfSerial[row.SerialNumber]} already."));
            }
        }

        var existing = await lookup;
        var school = await SchoolContext.LoadAsync(db, schoolId, cancellationToken);

        var now = clock.GetUtcNow();
        var created = new List<Device>();
        var outcomes = new List<RegisteredRow>(rows.Count);
        var changed = new List<(Device Device, bool FactsChanged, DeviceStatus? From)>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (checkedRows[i] is not { } row)
            {
                continue;
            }

            var number = i + 1;
            var device = existing.GetValueOrDefault(row.SerialNumber);
            if (device is not null && device.SchoolId != schoolId)
            {
                errors.Add(new RowError(number, "serialNumber", SerialTakenReason));
                continue;
            }

            var contextErrors = school.Check(row.Facts, device?.Id);
            errors.AddRange(contextErrors.Select(e => new RowError(number, e.Field, e.Reason)));
            if (device is null)
            {
                var status = row.Status ?? DeviceStatus.InService;
                if (!DeviceRules.InitialStatuses.Contains(status))
                {
                    errors.Add(new RowError(number, "status", "A new device starts as ordered, delivered or inService."));
                }
                else if (contextErrors.Count == 0)
                {
                    var fresh = Device.Register(Guid.CreateVersion7(now), schoolId, row.SerialNumber, status, row.Facts, now);
                    school.Occupy(fresh.Facts, fresh.Id);
                    created.Add(fresh);
                    outcomes.Add(new RegisteredRow(number, fresh.SerialNumber, fresh.Id, RowOutcome.Created));
                }

                continue;
            }

            if (device.Status == DeviceStatus.Retired)
            {
                errors.Add(new RowError(number, "serialNumber", "The device is retired; a retired device cannot be registered again."));
                continue;
            }

            if (row.Status is { } to && to != device.Status && !DeviceRules.MayChange(device.Status, to))
            {
                errors.Add(new RowError(number, "status", $"The device cannot go from {DeviceRules.Name(device.Status)} to {DeviceRules.Name(to)}."));
                continue;
            }

            if (contextErrors.Count > 0)
            {
                continue;
            }

            var from = device.Status;
            var factsChanged = device.Update(row.Facts, now);
            var statusChanged = row.Status is { } target && target != from;
            if (statusChanged)
            {
                device.ChangeStatus(row.Status!.Value, now);
            }

            school.Occupy(device.Facts, device.Id);
            if (factsChanged || statusChanged)
            {
                changed.Add((device, factsChanged, statusChanged ? from : null));
            }

            outcomes.Add(new RegisteredRow(number, device.SerialNumber, device.Id, factsChanged || statusChanged ? RowOutcome.Updated : RowOutcome.Unchanged));
        }

        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new RegistrationOutcome(null, [.. errors.OrderBy(e => e.Row)]);
        }

        var registration = created.Count > 0 ? DeviceIntegrationEvents.SerializeDevicesRegistered(schoolId, created, now) : null;
        await DeviceCopy.InsertAsync(db, created, actor, now, cancellationToken);
        if (registration is not null)
        {
            db.DevicesRegistered(schoolId, await registration, now);
        }

        foreach (var (device, factsChanged, from) in changed)
        {
            if (factsChanged)
            {
                db.DeviceHistory.Add(DeviceHistoryEntry.Updated(device, actor, now));
                db.DeviceUpdated(device, now);
            }

            if (from is { } previous)
            {
                db.DeviceHistory.Add(DeviceHistoryEntry.StatusChanged(device.Id, previous, device.Status, actor, null, now));
                db.DeviceStatusChanged(device, previous, now);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var result = new RegistrationResult(
            outcomes.Count(o => o.Outcome == RowOutcome.Created), outcomes.Count(o => o.Outcome == RowOutcome.Updated),
            outcomes.Count(o => o.Outcome == RowOutcome.Unchanged), outcomes);
        return new RegistrationOutcome(result, []);
    }

    /// <summary>
    /// The stored devices with the rows' serial numbers (normalised as <see cref="DeviceRules.Check"/> does), by serial. Rows
    /// whose serial then fails its checks are looked up too: they are refused either way.
    /// </summary>
    private Task<Dictionary<string, Device>> ExistingDevicesAsync(IReadOnlyList<DeviceRow> rows, CancellationToken cancellationToken)
    {
        var serials = rows.Where(r => !string.IsNullOrWhiteSpace(r.SerialNumber)).Select(r => SerialNumber.Normalise(r.SerialNumber!))
            .Distinct(StringComparer.Ordinal).ToList();
        return db.Devices.AsTracking().Where(d => serials.Contains(d.SerialNumber)).ToDictionaryAsync(d => d.SerialNumber, cancellationToken);
    }
}

/// <summary>
/// What rows are checked against that only the school knows: its type (class sets are for primary schools),
/// its rooms (from Schools' events) and its active board systems with the component places already taken.
/// </summary>
internal sealed class SchoolContext
{
    private readonly SchoolType _type;
    private readonly HashSet<Guid> _rooms;
    private readonly Dictionary<Guid, Guid> _boardSystemRooms;
    private readonly Dictionary<(Guid System, BoardComponentKind Kind), Guid> _takenComponents;

    private SchoolContext(SchoolType type, HashSet<Guid> rooms, Dictionary<Guid, Guid> boardSystemRooms,
        Dictionary<(Guid, BoardComponentKind), Guid> takenComponents) =>
        (_type, _rooms, _boardSystemRooms, _takenComponents) = (type, rooms, boardSystemRooms, takenComponents);

    public static async Task<SchoolContext> LoadAsync(AssetsDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var type = await db.KnownSchools.Where(s => s.SchoolId == schoolId).Select(s => s.Type).SingleAsync(cancellationToken);
        var rooms = await db.KnownRooms.Where(r => r.SchoolId == schoolId).Select(r => r.RoomId).ToListAsync(cancellationToken);
        var systems = await db.BoardSystems.Where(b => b.SchoolId == schoolId && b.DismantledAt == null)
            .ToDictionaryAsync(b => b.Id, b => b.RoomId, cancellationToken);
        var systemIds = systems.Keys.ToList();
        var taken = await db.Devices.Where(d => d.BoardSystemId != null && systemIds.Contains(d.BoardSystemId.Value))
            .Select(d => new { System = d.BoardSystemId!.Value, Kind = d.ComponentKind!.Value, d.Id })
            .ToDictionaryAsync(d => (d.System, d.Kind), d => d.Id, cancellationToken);
        return new SchoolContext(type, [.. rooms], systems, taken);
    }

    /// <summary>The reasons the facts do not fit this school; empty when they do.</summary>
    public List<(string Field, string Reason)> Check(DeviceFacts facts, Guid? deviceId)
    {
        var errors = new List<(string, string)>();
        if (facts.RoomId is { } room && !_rooms.Contains(room))
        {
            errors.Add(("roomId", "Not a room of this school (rooms come from the Schools service)."));
        }

        if (facts.Ownership == TabletOwnership.SchoolClassSet && _type != SchoolType.GS)
        {
            errors.Add(("ownership", "Class sets are for primary schools (GS); secondary schools' pupils bring their own devices."));
        }

        if (facts.BoardSystemId is { } system)
        {
            if (!_boardSystemRooms.TryGetValue(system, out var systemRoom))
            {
                errors.Add(("boardSystemId", "Not an active board system of this school."));
            }
            else if (facts.RoomId != systemRoom)
            {
                errors.Add(("roomId", "A component of a board system is in the system's room."));
            }
            else if (_takenComponents.TryGetValue((system, facts.ComponentKind!.Value), out var holder) && holder != deviceId)
            {
                errors.Add(("componentKind", $"The board system already has a {DeviceRules.Name(facts.ComponentKind.Value)}."));
            }
        }

        return errors;
    }

    /// <summary>The reasons as field errors, for a validation problem about one device.</summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<(string Field, string Reason)> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray());

    /// <summary>Marks the component place the device takes, so a later row of the same batch cannot take it too.</summary>
    public void Occupy(DeviceFacts facts, Guid deviceId)
    {
        if (facts is { BoardSystemId: { } system, ComponentKind: { } kind })
        {
            _takenComponents[(system, kind)] = deviceId;
        }
    }
}
