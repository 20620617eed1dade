// Package parse turns the free text of a sales rep's chat message into a
// structured record: what the message is (a report, a command for the bot or
// anything else), which customer it is about, whom the rep spoke with and how,
// on which day, the stage and value of the deal and the next dated step.
//
// The package is pure: text, a reference time and a customer dictionary go
// in, a Record comes out. It reads no clock, does no I/O and does not log.
// Its tables and lexicons are immutable package-level values; a Dictionary is
// built once per tenant and is safe for concurrent use.
//
// The rules follow the "salesbot parse" section of CONTRACT.md. They are
// grouped by family, one file each: dates.go, amounts.go, stages.go,
// channels.go, contacts.go, customers.go, intent.go and commands.go;
// markup.go says what is transparent before scanning (tags, emphasis,
// quotes, spaces inside names) and latin.go reads names in Latin letters.
package parse
