import Foundation
import XCTest
@testable import Server

/// Loading a certificate and key: the good pair works, each common mistake is an error that
/// names the file and says what is wrong.
final class TLSContextTests: XCTestCase {
    var certificates: TestCertificates!

    override func setUpWithError() throws {
        certificates = try TestCertificates()
    }

    override func tearDown() { certificates = nil }

    func loadError(certificate: String, key: String) -> TLSError? {
        do {
            _ = try TLSContext(configuration: TLSConfiguration(certificatePath: certificate, privateKeyPath: key))
            return nil
        } catch {
            return error
        }
    }

    func testAValidPairLoadsAndItsFingerprintIsTheCertificates() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let context = try TLSContext(configuration: TLSConfiguration(certificatePath: pair.certificate, privateKeyPath: pair.key))
        XCTAssertEqual(context.fingerprint, try certificates.fingerprint(of: pair.certificate))
        XCTAssertEqual(context.warnings, [])
    }

    func testAnRSAPairLoadsToo() throws {
        let pair = try certificates.makeServerCertificate(named: "rsa-server", keyType: "rsa")
        XCTAssertNoThrow(try TLSContext(configuration: TLSConfiguration(certificatePath: pair.certificate, privateKeyPath: pair.key)))
    }

    func testAMissingFileIsNamed() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let missing = certificates.path("nowhere.pem")
        let error = loadError(certificate: missing, key: pair.key)
        XCTAssertEqual(error, .unreadableFile(path: missing, role: .certificate, reason: "no such file"))
        XCTAssertEqual(error?.description, "TLS certificate file '\(missing)': no such file")
        let keyError = loadError(certificate: pair.certificate, key: missing)
        XCTAssertEqual(keyError?.description, "TLS private key file '\(missing)': no such file")
    }

    func testADirectoryIsNotACertificate() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        XCTAssertEqual(loadError(certificate: certificates.folder.path, key: pair.key),
                       .unreadableFile(path: certificates.folder.path, role: .certificate, reason: "not a regular file"))
    }

    func testAGarbageFileIsNotPEM() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let garbage = certificates.path("garbage.pem")
        try Data("this is a shopping list, not a certificate\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let error = try XCTUnwrap(loadError(certificate: garbage, key: pair.key))
        guard case .badContents(let path, .certificate, let reason) = error else { return XCTFail("got \(error)") }
        XCTAssertEqual(path, garbage)
        XCTAssertTrue(reason.hasPrefix("not PEM"), reason)
        XCTAssertTrue(error.description.contains(garbage))
    }

    func testAnEmptyKeyFileIsSaidToBeEmpty() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let empty = certificates.path("empty.key")
        try Data().write(to: URL(fileURLWithPath: empty))
        XCTAssertEqual(loadError(certificate: pair.certificate, key: empty),
                       .badContents(path: empty, role: .key, reason: "the file is empty"))
    }

    func testACorruptedCertificateBlockIsRefusedByOpenSSLWithTheFileNamed() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let corrupt = certificates.path("corrupt.pem")
        try Data("-----BEGIN CERTIFICATE-----\nAAAAnotbase64!!\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: corrupt))
        let error = try XCTUnwrap(loadError(certificate: corrupt, key: pair.key))
        guard case .badContents(corrupt, .certificate, let reason) = error else { return XCTFail("got \(error)") }
        XCTAssertTrue(reason.hasPrefix("not a valid PEM certificate chain"), reason)
    }

    func testSwappedFilesAreCalledOut() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let error = try XCTUnwrap(loadError(certificate: pair.key, key: pair.certificate))
        XCTAssertTrue(error.description.contains(pair.key), error.description)
        XCTAssertTrue(error.description.contains("swapped"), error.description)
    }

    func testTheKeyOfAnotherCertificateIsRefused() throws {
        let first = try certificates.makeServerCertificate(named: "first")
        let second = try certificates.makeServerCertificate(named: "second")
        XCTAssertEqual(loadError(certificate: first.certificate, key: second.key),
                       .keyDoesNotMatchCertificate(certificate: first.certificate, key: second.key))
        // A key of another type (RSA for an EC certificate) is refused the same way.
        let rsa = try certificates.makeServerCertificate(named: "rsa", keyType: "rsa")
        XCTAssertEqual(loadError(certificate: first.certificate, key: rsa.key),
                       .keyDoesNotMatchCertificate(certificate: first.certificate, key: rsa.key))
    }

    func testAPassphraseProtectedKeyIsRefusedWithoutAPrompt() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let encrypted = certificates.path("encrypted.key")
        try certificates.run(["pkey", "-in", pair.key, "-aes256", "-passout", "pass:sesame", "-out", encrypted])
        let error = try XCTUnwrap(loadError(certificate: pair.certificate, key: encrypted))
        XCTAssertTrue(error.description.contains(encrypted), error.description)
        XCTAssertTrue(error.description.contains("passphrase"), error.description)
    }

    func testAnExpiredCertificateLoadsWithAWarning() throws {
        let pair = try certificates.makeServerCertificate(named: "server")
        let expired = certificates.path("expired.pem")
        // Re-sign the same key with a validity that ended yesterday.
        try certificates.run(["x509", "-in", pair.certificate, "-signkey", pair.key, "-days", "-1", "-out", expired])
        let context = try TLSContext(configuration: TLSConfiguration(certificatePath: expired, privateKeyPath: pair.key))
        XCTAssertEqual(context.warnings.count, 1)
        XCTAssertTrue(context.warnings.first?.contains("expired") ?? false, "\(context.warnings)")
        XCTAssertTrue(context.warnings.first?.contains(expired) ?? false, "\(context.warnings)")
    }

    func testAFailedReloadKeepsTheOldPair() throws {
        let first = try certificates.makeServerCertificate(named: "first")
        let second = try certificates.makeServerCertificate(named: "second")
        let live = (certificate: certificates.path("live.pem"), key: certificates.path("live.key"))
        try FileManager.default.copyItem(atPath: first.certificate, toPath: live.certificate)
        try FileManager.default.copyItem(atPath: first.key, toPath: live.key)
        let store = try TLSContextStore(configuration: TLSConfiguration(certificatePath: live.certificate, privateKeyPath: live.key))
        let original = store.context
        XCTAssertEqual(original.fingerprint, try certificates.fingerprint(of: first.certificate))

        // Half a renewal: the new certificate is in place, its key is not yet.
        try FileManager.default.removeItem(atPath: live.certificate)
        try FileManager.default.copyItem(atPath: second.certificate, toPath: live.certificate)
        XCTAssertThrowsError(try store.reload()) { error in
            XCTAssertEqual(error as? TLSError, .keyDoesNotMatchCertificate(certificate: live.certificate, key: live.key))
        }
        XCTAssertTrue(store.context === original, "a failed reload must keep the context in use")

        // The renewal completes: the next reload takes the new pair.
        try FileManager.default.removeItem(atPath: live.key)
        try FileManager.default.copyItem(atPath: second.key, toPath: live.key)
        try store.reload()
        XCTAssertEqual(store.context.fingerprint, try certificates.fingerprint(of: second.certificate))
    }
}
