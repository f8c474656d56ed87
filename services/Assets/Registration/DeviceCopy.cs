using Mep.Assets.Data;
using Mep.Assets.Devices;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mep.Assets.Registration;

/// <summary>
/// Writes newly registered devices and their first history line with binary COPY, inside the caller's transaction.
/// A 5,000-device batch is two COPY streams instead of 10,000 INSERTs through the change tracker; bench/AssetsBench
/// measures what that buys.
/// </summary>
internal static class DeviceCopy
{
    public static async Task InsertAsync(AssetsDbContext db, IReadOnlyList<Device> devices, string actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (devices.Count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var writer = await connection.BeginBinaryImportAsync(
                         """
                         COPY devices (id, school_id, serial_number, status, status_changed_at, kind, manufacturer, model, room_id, mdm_state,
                             mdm_enrolled_on, purchase_date, purchase_price, warranty_end, funding_source, useful_life_months, ownership,
                             pupil_reference, subsidy_category, family_reference, sibling_order, contract_monthly_rate, contract_months,
                             contract_provider, board_system_id, component_kind, created_at, updated_at) FROM STDIN (FORMAT BINARY)
                         """, cancellationToken))
        {
            foreach (var device in devices)
            {
                WriteDevice(writer, device);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
                         "COPY device_history (device_id, at, actor, change, to_status, to_school_id, to_room_id) FROM STDIN (FORMAT BINARY)",
                         cancellationToken))
        {
            foreach (var device in devices)
            {
                WriteRegisteredLine(writer, device, actor, now);
            }

            await writer.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// One row, written synchronously: the importer collects rows in its buffer and sends a full buffer on to PostgreSQL without
    /// waiting for an answer, so a write rarely leaves memory. Awaiting each of 28 fields cost a state machine and a task per
    /// field, some 140,000 per batch, for data that is already in memory.
    /// </summary>
    private static void WriteDevice(NpgsqlBinaryImporter writer, Device d)
    {
        writer.StartRow();
        writer.Write(d.Id, NpgsqlDbType.Uuid);
        writer.Write(d.SchoolId, NpgsqlDbType.Uuid);
        writer.Write(d.SerialNumber, NpgsqlDbType.Text);
        writer.Write(d.Status.ToString(), NpgsqlDbType.Text);
        writer.Write(d.StatusChangedAt, NpgsqlDbType.TimestampTz);
        writer.Write(d.Kind.ToString(), NpgsqlDbType.Text);
        writer.Write(d.Manufacturer, NpgsqlDbType.Text);
        writer.Write(d.Model, NpgsqlDbType.Text);
        WriteNullable(writer, d.RoomId, NpgsqlDbType.Uuid);
        writer.Write(d.MdmState.ToString(), NpgsqlDbType.Text);
        WriteNullable(writer, d.MdmEnrolledOn, NpgsqlDbType.Date);
        WriteNullable(writer, d.PurchaseDate, NpgsqlDbType.Date);
        WriteNullable(writer, d.PurchasePrice, NpgsqlDbType.Numeric);
        WriteNullable(writer, d.WarrantyEnd, NpgsqlDbType.Date);
        WriteNullable(writer, d.FundingSource?.ToString(), NpgsqlDbType.Text);
        WriteNullable(writer, d.UsefulLifeMonths, NpgsqlDbType.Integer);
        WriteNullable(writer, d.Ownership?.ToString(), NpgsqlDbType.Text);
        WriteNullable(writer, d.PupilReference, NpgsqlDbType.Text);
        WriteNullable(writer, d.SubsidyCategory?.ToString(), NpgsqlDbType.Text);
        WriteNullable(writer, d.FamilyReference, NpgsqlDbType.Text);
        WriteNullable(writer, d.SiblingOrder, NpgsqlDbType.Integer);
        WriteNullable(writer, d.ContractMonthlyRate, NpgsqlDbType.Numeric);
        WriteNullable(writer, d.ContractMonths, NpgsqlDbType.Integer);
        WriteNullable(writer, d.ContractProvider, NpgsqlDbType.Text);
        WriteNullable(writer, d.BoardSystemId, NpgsqlDbType.Uuid);
        WriteNullable(writer, d.ComponentKind?.ToString(), NpgsqlDbType.Text);
        writer.Write(d.CreatedAt, NpgsqlDbType.TimestampTz);
        writer.Write(d.UpdatedAt, NpgsqlDbType.TimestampTz);
    }

    /// <summary>The device's first history line; written like <see cref="WriteDevice"/>.</summary>
    private static void WriteRegisteredLine(NpgsqlBinaryImporter writer, Device d, string actor, DateTimeOffset now)
    {
        writer.StartRow();
        writer.Write(d.Id, NpgsqlDbType.Uuid);
        writer.Write(now, NpgsqlDbType.TimestampTz);
        writer.Write(actor, NpgsqlDbType.Text);
        writer.Write(nameof(DeviceChange.Registered), NpgsqlDbType.Text);
        writer.Write(d.Status.ToString(), NpgsqlDbType.Text);
        writer.Write(d.SchoolId, NpgsqlDbType.Uuid);
        WriteNullable(writer, d.RoomId, NpgsqlDbType.Uuid);
    }

    internal static void WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            writer.Write(v, type);
        }
        else
        {
            writer.WriteNull();
        }
    }

    internal static void WriteNullable(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type)
    {
        if (value is not null)
        {
            writer.Write(value, type);
        }
        else
        {
            writer.WriteNull();
        }
    }
}
