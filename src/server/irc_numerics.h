// The IRC numeric replies natterd sends (RFC 1459, RFC 2812, and the modern ones from the IRCv3
// registry), by name. Only the ones natterd uses are here.
#pragma once

namespace natter::server::irc::rpl {

// Registration.
constexpr const char* kWelcome = "001";
constexpr const char* kYourHost = "002";
constexpr const char* kCreated = "003";
constexpr const char* kMyInfo = "004";
constexpr const char* kISupport = "005";

// Replies to commands.
constexpr const char* kUModeIs = "221";
constexpr const char* kLuserClient = "251";
constexpr const char* kLuserOp = "252";
constexpr const char* kLuserUnknown = "253";
constexpr const char* kLuserChannels = "254";
constexpr const char* kLuserMe = "255";
constexpr const char* kLocalUsers = "265";
constexpr const char* kGlobalUsers = "266";
constexpr const char* kAway = "301";
constexpr const char* kUserHost = "302";
constexpr const char* kIsOn = "303";
constexpr const char* kUnAway = "305";
constexpr const char* kNowAway = "306";
constexpr const char* kWhoisUser = "311";
constexpr const char* kWhoisServer = "312";
constexpr const char* kWhoisOperator = "313";
constexpr const char* kWhowasUser = "314";
constexpr const char* kEndOfWho = "315";
constexpr const char* kWhoisIdle = "317";
constexpr const char* kEndOfWhois = "318";
constexpr const char* kWhoisChannels = "319";
constexpr const char* kListStart = "321";
constexpr const char* kList = "322";
constexpr const char* kListEnd = "323";
constexpr const char* kChannelModeIs = "324";
constexpr const char* kCreationTime = "329";
constexpr const char* kNoTopic = "331";
constexpr const char* kTopic = "332";
constexpr const char* kTopicWhoTime = "333";
constexpr const char* kInviteList = "336";
constexpr const char* kInviting = "341";
constexpr const char* kEndOfInviteList = "337";
constexpr const char* kEndOfInvExList = "347";
constexpr const char* kEndOfExceptList = "349";
constexpr const char* kVersion = "351";
constexpr const char* kWhoReply = "352";
constexpr const char* kNamReply = "353";
constexpr const char* kEndOfNames = "366";
constexpr const char* kBanList = "367";
constexpr const char* kEndOfBanList = "368";
constexpr const char* kEndOfWhowas = "369";
constexpr const char* kMotd = "372";
constexpr const char* kMotdStart = "375";
constexpr const char* kEndOfMotd = "376";
constexpr const char* kYoureOper = "381";
constexpr const char* kInfo = "371";
constexpr const char* kEndOfInfo = "374";
constexpr const char* kTime = "391";
constexpr const char* kHelpStart = "704";
constexpr const char* kHelpTxt = "705";
constexpr const char* kEndOfHelp = "706";

// Errors.
constexpr const char* kErrNoSuchNick = "401";
constexpr const char* kErrNoSuchServer = "402";
constexpr const char* kErrNoSuchChannel = "403";
constexpr const char* kErrCannotSendToChan = "404";
constexpr const char* kErrTooManyChannels = "405";
constexpr const char* kErrWasNoSuchNick = "406";
constexpr const char* kErrTooManyTargets = "407";
constexpr const char* kErrNoOrigin = "409";
constexpr const char* kErrInvalidCapCmd = "410";
constexpr const char* kErrNoRecipient = "411";
constexpr const char* kErrNoTextToSend = "412";
constexpr const char* kErrInputTooLong = "417";
constexpr const char* kErrUnknownCommand = "421";
constexpr const char* kErrNoMotd = "422";
constexpr const char* kErrNoNicknameGiven = "431";
constexpr const char* kErrErroneusNickname = "432";
constexpr const char* kErrNicknameInUse = "433";
constexpr const char* kErrUserNotInChannel = "441";
constexpr const char* kErrNotOnChannel = "442";
constexpr const char* kErrUserOnChannel = "443";
constexpr const char* kErrNotRegistered = "451";
constexpr const char* kErrNeedMoreParams = "461";
constexpr const char* kErrAlreadyRegistered = "462";
constexpr const char* kErrPasswdMismatch = "464";
constexpr const char* kErrUnknownMode = "472";
constexpr const char* kErrChannelIsFull = "471";
constexpr const char* kErrInviteOnlyChan = "473";
constexpr const char* kErrBannedFromChan = "474";
constexpr const char* kErrBadChannelKey = "475";
constexpr const char* kErrBadChanMask = "476";
constexpr const char* kErrBanListFull = "478";
constexpr const char* kErrChanOPrivsNeeded = "482";
constexpr const char* kErrUModeUnknownFlag = "501";
constexpr const char* kErrNoPrivileges = "481";
constexpr const char* kErrNoOperHost = "491";
constexpr const char* kErrUsersDontMatch = "502";
constexpr const char* kErrHelpNotFound = "524";
constexpr const char* kErrInvalidModeParam = "696";

}  // namespace natter::server::irc::rpl
