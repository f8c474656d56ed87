using System.Text.Json.Serialization;

namespace Mep.Contracts.Assets;

// Events carry enum members by name, also where a serializer has no enum converter of its own (MassTransit's): the relay
// publishes the outbox's JSON as stored, and integers (older messages) are still read.
/// <summary>What a device is; staffing sizes support differently per kind.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceKind>))]
public enum DeviceKind
{
    Tablet,
    ComputerRoomDevice,

    /// <summary>A part of an interactive board system (whiteboard, projector, mini PC, Apple TV, speakers).</summary>
    BoardSystemComponent,

    NetworkDevice,
}

/// <summary>Who a tablet belongs to and who uses it; decides who supports and who pays.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TabletOwnership>))]
public enum TabletOwnership
{
    /// <summary>Bought or rented by the parents for one pupil (secondary schools, "get your own device").</summary>
    ParentFinancedPupil,

    /// <summary>School-owned class set, never personalised (three per primary school in the MEP standard).</summary>
    SchoolClassSet,

    /// <summary>A teacher's personal device (financed by the Land).</summary>
    Teacher,

    /// <summary>A device the school lends out (immediate-equipment programme, teacher loan devices).</summary>
    Loan,
}

/// <summary>The city's share of a parent-financed tablet's contract.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubsidyCategory>))]
public enum SubsidyCategory
{
    None,

    /// <summary>Claim under the education and participation package (BuT) or AsylbLG benefits: the city pays 60 %.</summary>
    ButAsylbLG,

    /// <summary>A second or later child of one family in the programme: the city pays 40 %.</summary>
    Sibling,
}

/// <summary>A device's lifecycle; <c>Retired</c> is final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceStatus>))]
public enum DeviceStatus
{
    Ordered,
    Delivered,
    InService,
    InRepair,
    Lost,
    Retired,
}

[JsonConverter(typeof(JsonStringEnumConverter<MdmState>))]
public enum MdmState
{
    NotEnrolled,
    Enrolled,

    /// <summary>Was enrolled, has been removed from the city's MDM (handed back, reset).</summary>
    Unenrolled,
}

/// <summary>The money a device was bought with; the DigitalPakt proof of use lists devices per source.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FundingSource>))]
public enum FundingSource
{
    DigitalPaktBase,
    ImmediateEquipmentLoan,
    TeacherLoanDevices,
    CityMepBudget,
    ParentFinanced,
}

/// <summary>The parts an interactive board system is made of; a system has at most one of each.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BoardComponentKind>))]
public enum BoardComponentKind
{
    Whiteboard,
    InteractiveProjector,

    /// <summary>Mini PC or Mac mini.</summary>
    MiniPc,

    AppleTv,
    Speakers,
}
