using Mep.Assets.Data;
using Mep.Assets.Registration;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mep.Assets.Loans;

/// <summary>
/// Writes a batch of loans set-based inside the caller's transaction: a hand-out's new loans with binary COPY, as <see cref="DeviceCopy"/>
/// writes a registration's devices, and a return's ended loans with one UPDATE. 5,000 loans through the change tracker took some
/// 4.7 s to insert and 3 s to update; set-based, a fraction of that.
/// </summary>
internal static class LoanCopy
{
    /// <summary>
    /// Stores what <see cref="Loan.Return"/> changed on untracked loans in one statement. Only loans still out are ended: a return that
    /// ran meanwhile on one of them makes the whole batch a conflict (its transaction then rolls back).
    /// </summary>
    public static async Task UpdateReturnedAsync(AssetsDbContext db, IReadOnlyList<Loan> loans, CancellationToken cancellationToken)
    {
        var updated = await db.Database.ExecuteSqlRawAsync(
            """
            UPDATE loans AS l SET state = @returned, returned_on = r.returned_on, condition_at_return = r.condition, damaged = r.damaged,
                damage_note = r.note, missing_accessories = ARRAY(SELECT jsonb_array_elements_text(r.missing)), updated_at = r.updated_at
            FROM unnest(@ids, @returned_on, @conditions, @damaged, @notes, @missing, @updated_at)
                AS r(id, returned_on, condition, damaged, note, missing, updated_at)
            WHERE l.id = r.id AND l.state = @out
            """,
            [
                new NpgsqlParameter("returned", LoanState.Returned.ToString()),
                new NpgsqlParameter("out", LoanState.Out.ToString()),
                new NpgsqlParameter("ids", loans.Select(l => l.Id).ToArray()),
                new NpgsqlParameter("returned_on", loans.Select(l => l.ReturnedOn!.Value).ToArray()),
                new NpgsqlParameter("conditions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = loans.Select(l => l.ConditionAtReturn?.ToString()).ToArray() },
                new NpgsqlParameter("damaged", loans.Select(l => l.Damaged).ToArray()),
                new NpgsqlParameter("notes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = loans.Select(l => l.DamageNote).ToArray() },
                new NpgsqlParameter("missing", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
                {
                    Value = loans.Select(l => System.Text.Json.JsonSerializer.Serialize(l.MissingAccessories)).ToArray(),
                },
                new NpgsqlParameter("updated_at", loans.Select(l => l.UpdatedAt).ToArray()),
            ], cancellationToken);
        if (updated != loans.Count)
        {
            throw new DomainRuleException("loan-not-out", "Some of these loans were returned or ended by another request meanwhile; nothing was returned.")
            {
                IsStateConflict = true,
            };
        }
    }

    public static async Task InsertAsync(AssetsDbContext db, IReadOnlyList<Loan> loans, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY loans (id, device_id, school_id, programme, borrower_kind, borrower_reference, class_name, lent_on, term_started_on, due_back, state,
                agreement_template, agreement_version, agreement_signed_on, guardian_reference, damage_payer, accessories, condition_at_hand_out,
                returned_on, condition_at_return, damaged, damage_note, missing_accessories, loss_reported_on, transferred_on, repair_case_id,
                created_at, updated_at) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var loan in loans)
        {
            Write(writer, loan);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>One row, written synchronously into the importer's buffer (see <see cref="DeviceCopy"/> for why).</summary>
    private static void Write(NpgsqlBinaryImporter writer, Loan l)
    {
        writer.StartRow();
        writer.Write(l.Id, NpgsqlDbType.Uuid);
        writer.Write(l.DeviceId, NpgsqlDbType.Uuid);
        writer.Write(l.SchoolId, NpgsqlDbType.Uuid);
        writer.Write(l.Programme.ToString(), NpgsqlDbType.Text);
        writer.Write(l.BorrowerKind.ToString(), NpgsqlDbType.Text);
        writer.Write(l.BorrowerReference, NpgsqlDbType.Text);
        DeviceCopy.WriteNullable(writer, l.ClassName, NpgsqlDbType.Text);
        writer.Write(l.LentOn, NpgsqlDbType.Date);
        writer.Write(l.TermStartedOn, NpgsqlDbType.Date);
        writer.Write(l.DueBack, NpgsqlDbType.Date);
        writer.Write(l.State.ToString(), NpgsqlDbType.Text);
        writer.Write(l.AgreementTemplate, NpgsqlDbType.Text);
        writer.Write(l.AgreementVersion, NpgsqlDbType.Text);
        writer.Write(l.AgreementSignedOn, NpgsqlDbType.Date);
        DeviceCopy.WriteNullable(writer, l.GuardianReference, NpgsqlDbType.Text);
        writer.Write(l.DamagePayer.ToString(), NpgsqlDbType.Text);
        writer.Write(l.Accessories, NpgsqlDbType.Array | NpgsqlDbType.Text);
        writer.Write(l.ConditionAtHandOut.ToString(), NpgsqlDbType.Text);
        DeviceCopy.WriteNullable(writer, l.ReturnedOn, NpgsqlDbType.Date);
        DeviceCopy.WriteNullable(writer, l.ConditionAtReturn?.ToString(), NpgsqlDbType.Text);
        writer.Write(l.Damaged, NpgsqlDbType.Boolean);
        DeviceCopy.WriteNullable(writer, l.DamageNote, NpgsqlDbType.Text);
        writer.Write(l.MissingAccessories, NpgsqlDbType.Array | NpgsqlDbType.Text);
        DeviceCopy.WriteNullable(writer, l.LossReportedOn, NpgsqlDbType.Date);
        DeviceCopy.WriteNullable(writer, l.TransferredOn, NpgsqlDbType.Date);
        DeviceCopy.WriteNullable(writer, l.RepairCaseId, NpgsqlDbType.Uuid);
        writer.Write(l.CreatedAt, NpgsqlDbType.TimestampTz);
        writer.Write(l.UpdatedAt, NpgsqlDbType.TimestampTz);
    }
}
