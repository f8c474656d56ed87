using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Devices;

/// <summary>A row that passed the field rules: what it asks for, in domain types.</summary>
public sealed record CheckedDeviceRow(string SerialNumber, DeviceStatus? Status, DeviceFacts Facts);

/// <summary>The device rules that need nothing but the row itself; rules that need the school (rooms, type) come later.</summary>
public static partial class DeviceRules
{
    public const int MaxSerialLength = SerialNumber.MaxLength;

    private static readonly Dictionary<DeviceStatus, DeviceStatus[]> Transitions = new()
    {
        [DeviceStatus.Ordered] = [DeviceStatus.Delivered, DeviceStatus.Retired],
        [DeviceStatus.Delivered] = [DeviceStatus.InService, DeviceStatus.InRepair, DeviceStatus.Lost, DeviceStatus.Retired],
        [DeviceStatus.InService] = [DeviceStatus.InRepair, DeviceStatus.Lost, DeviceStatus.Retired],
        [DeviceStatus.InRepair] = [DeviceStatus.InService, DeviceStatus.Lost, DeviceStatus.Retired],
        [DeviceStatus.Lost] = [DeviceStatus.InService, DeviceStatus.Retired],
        [DeviceStatus.Retired] = [],
    };

    /// <summary>Statuses a device may enter the inventory with.</summary>
    public static readonly IReadOnlySet<DeviceStatus> InitialStatuses =
        new HashSet<DeviceStatus> { DeviceStatus.Ordered, DeviceStatus.Delivered, DeviceStatus.InService };

    public static bool MayChange(DeviceStatus from, DeviceStatus to) => Transitions[from].Contains(to);

    public static IReadOnlyList<DeviceStatus> AllowedFrom(DeviceStatus from) => Transitions[from];

    /// <summary>The API spelling of an enum member (camelCase), for messages.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Checks a row on its own; null when it has errors (recorded in <paramref name="errors"/> by camelCase field name).</summary>
    public static CheckedDeviceRow? Check(DeviceRow row, ValidationErrors errors)
    {
        string? serial = null;
        if (errors.Text("serialNumber", row.SerialNumber, DeviceRow.MaxRawSerial))
        {
            serial = SerialNumber.Normalise(row.SerialNumber!);
            if (serial.Length > MaxSerialLength || !SerialPattern().IsMatch(serial))
            {
                errors.Add("serialNumber", $"1 to {MaxSerialLength} letters, digits and - . / _ (spaces are removed).");
            }
        }

        var kind = Enumerated<DeviceKind>(errors, "kind", row.Kind, required: true);
        errors.Text("manufacturer", row.Manufacturer, DeviceRow.MaxText);
        errors.Text("model", row.Model, DeviceRow.MaxText);
        var status = Enumerated<DeviceStatus>(errors, "status", row.Status, required: false);
        var mdmState = Enumerated<MdmState>(errors, "mdmState", row.MdmState, required: false) ?? MdmState.NotEnrolled;
        var mdmEnrolledOn = Day(errors, "mdmEnrolledOn", row.MdmEnrolledOn);
        var purchaseDate = Day(errors, "purchaseDate", row.PurchaseDate);
        var warrantyEnd = Day(errors, "warrantyEnd", row.WarrantyEnd);
        var fundingSource = Enumerated<FundingSource>(errors, "fundingSource", row.FundingSource, required: false);
        var ownership = Enumerated<TabletOwnership>(errors, "ownership", row.Ownership, required: false);
        var subsidy = Enumerated<SubsidyCategory>(errors, "subsidyCategory", row.SubsidyCategory, required: false);
        var componentKind = Enumerated<BoardComponentKind>(errors, "componentKind", row.ComponentKind, required: false);

        Money(errors, "purchasePrice", row.PurchasePrice, (decimal)DeviceRow.MaxPurchasePrice);
        Money(errors, "contractMonthlyRate", row.ContractMonthlyRate, (decimal)DeviceRow.MaxContractMonthlyRate);
        errors.Range("usefulLifeMonths", row.UsefulLifeMonths, 1, DeviceRow.MaxUsefulLifeMonths);
        errors.Range("contractMonths", row.ContractMonths, 1, DeviceRow.MaxContractMonths);
        errors.Range("siblingOrder", row.SiblingOrder, 1, DeviceRow.MaxSiblingOrder);
        errors.Text("contractProvider", row.ContractProvider, DeviceRow.MaxText, required: false);
        Pseudonym(errors, "pupilReference", row.PupilReference);
        Pseudonym(errors, "familyReference", row.FamilyReference);

        if (mdmState == MdmState.Enrolled && row.MdmEnrolledOn is null)
        {
            errors.Add("mdmEnrolledOn", "Required when mdmState is enrolled.");
        }
        else if (mdmState == MdmState.NotEnrolled && mdmEnrolledOn is not null)
        {
            errors.Add("mdmEnrolledOn", "Only for a device that is or was enrolled.");
        }

        if (purchaseDate is not null && warrantyEnd is not null && warrantyEnd < purchaseDate)
        {
            errors.Add("warrantyEnd", "Cannot be before purchaseDate.");
        }

        if (kind is { } k)
        {
            CheckOwnership(errors, row, k, ownership, subsidy, fundingSource);
            CheckBoardSystem(errors, row, k, componentKind);
        }

        if (serial is null || kind is null || errors.IsEmpty is false)
        {
            return null;
        }

        var facts = new DeviceFacts(kind.Value, row.Manufacturer!, row.Model!, row.RoomId, mdmState, mdmEnrolledOn, purchaseDate,
            row.PurchasePrice, warrantyEnd, ownership == TabletOwnership.ParentFinancedPupil ? Contracts.Assets.FundingSource.ParentFinanced : fundingSource,
            row.UsefulLifeMonths, ownership, row.PupilReference, subsidy, row.FamilyReference, row.SiblingOrder, row.ContractMonthlyRate,
            row.ContractMonths, row.ContractProvider, row.BoardSystemId, componentKind);
        return new CheckedDeviceRow(serial, status, facts);
    }

    private static void CheckOwnership(ValidationErrors errors, DeviceRow row, DeviceKind kind, TabletOwnership? ownership,
        SubsidyCategory? subsidy, FundingSource? fundingSource)
    {
        if (kind != DeviceKind.Tablet)
        {
            if (row.Ownership is not null)
            {
                errors.Add("ownership", "Only tablets have an ownership.");
            }
        }
        else if (row.Ownership is null)
        {
            errors.Add("ownership", "Required for a tablet: parentFinancedPupil, schoolClassSet, teacher or loan.");
        }

        var parentFinanced = ownership == TabletOwnership.ParentFinancedPupil && kind == DeviceKind.Tablet;
        if (parentFinanced)
        {
            if (row.PupilReference is null)
            {
                errors.Add("pupilReference", "Required for a parent-financed pupil device (pseudonymous, never a name).");
            }

            if (row.SubsidyCategory is null)
            {
                errors.Add("subsidyCategory", "Required for a parent-financed pupil device: none, butAsylbLG or sibling.");
            }

            if (subsidy == Contracts.Assets.SubsidyCategory.Sibling)
            {
                if (row.FamilyReference is null)
                {
                    errors.Add("familyReference", "Required for the sibling subsidy.");
                }

                if (row.SiblingOrder is not >= 2)
                {
                    errors.Add("siblingOrder", "The sibling subsidy starts with a family's second child: 2 or more.");
                }
            }

            if ((row.ContractMonthlyRate is null) != (row.ContractMonths is null))
            {
                errors.Add(row.ContractMonths is null ? "contractMonths" : "contractMonthlyRate", "A contract has both a monthly rate and a number of months.");
            }

            if (fundingSource is not null and not Contracts.Assets.FundingSource.ParentFinanced)
            {
                errors.Add("fundingSource", "A parent-financed pupil device is financed by the parents.");
            }

            return;
        }

        // Only a pupil's own device is personalised; a class set never is.
        foreach (var (field, value) in new (string, object?)[]
                 {
                     ("pupilReference", row.PupilReference), ("subsidyCategory", row.SubsidyCategory), ("familyReference", row.FamilyReference),
                     ("siblingOrder", row.SiblingOrder), ("contractMonthlyRate", row.ContractMonthlyRate), ("contractMonths", row.ContractMonths),
                     ("contractProvider", row.ContractProvider),
                 })
        {
            if (value is not null)
            {
                errors.Add(field, "Only for a parent-financed pupil device.");
            }
        }

        if (fundingSource == Contracts.Assets.FundingSource.ParentFinanced)
        {
            errors.Add("fundingSource", "Only a parent-financed pupil device is financed by the parents.");
        }
    }

    private static void CheckBoardSystem(ValidationErrors errors, DeviceRow row, DeviceKind kind, BoardComponentKind? componentKind)
    {
        if (kind == DeviceKind.BoardSystemComponent)
        {
            if (row.ComponentKind is null)
            {
                errors.Add("componentKind", "Required for a board-system component: whiteboard, interactiveProjector, miniPc, appleTv or speakers.");
            }

            if (row.BoardSystemId is not null && row.RoomId is null)
            {
                errors.Add("roomId", "A component of a board system is in the system's room.");
            }
        }
        else
        {
            if (row.ComponentKind is not null || componentKind is not null)
            {
                errors.Add("componentKind", "Only for a board-system component.");
            }

            if (row.BoardSystemId is not null)
            {
                errors.Add("boardSystemId", "Only a board-system component belongs to a board system.");
            }
        }
    }

    private static TEnum? Enumerated<TEnum>(ValidationErrors errors, string field, string? text, bool required) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(field, $"Required: {string.Join(", ", Enum.GetValues<TEnum>().Select(Name))}.");
            }

            return null;
        }

        if (EnumText.TryParseName<TEnum>(text, out var value))
        {
            return value;
        }

        errors.Add(field, $"\"{Shorten(text)}\" is not one of {string.Join(", ", Enum.GetValues<TEnum>().Select(Name))}.");
        return null;
    }

    private static DateOnly? Day(ValidationErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year is >= 1990 and <= 2100)
        {
            return day;
        }

        errors.Add(field, $"\"{Shorten(text)}\" is not a date as yyyy-MM-dd (1990 to 2100).");
        return null;
    }

    private static void Money(ValidationErrors errors, string field, decimal? value, decimal max)
    {
        if (value is null)
        {
            return;
        }

        if (value < 0 || value > max)
        {
            errors.Add(field, $"Must be between 0 and {max.ToString("0.00", CultureInfo.InvariantCulture)} EUR.");
        }
        else if (decimal.Round(value.Value, 2) != value)
        {
            errors.Add(field, "EUR with at most two decimal places.");
        }
    }

    private static void Pseudonym(ValidationErrors errors, string field, string? value)
    {
        if (value is not null && !PseudonymPattern().IsMatch(value))
        {
            errors.Add(field, "A pseudonymous reference: 4 to 64 letters, digits, '-' or '_', no spaces (never a name).");
        }
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9\-./_]*$")]
    private static partial Regex SerialPattern();

    [GeneratedRegex(DeviceRow.Pseudonym)]
    private static partial Regex PseudonymPattern();
}
