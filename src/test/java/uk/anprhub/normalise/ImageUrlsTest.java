package uk.anprhub.normalise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImageUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://admin:s3cret@10.0.0.5/ISAPI/pic.jpg | http://10.0.0.5/ISAPI/pic.jpg",
            "http://10.0.0.5/cgi/snap.cgi?user=admin&pwd=s3cret&picName=A1 | http://10.0.0.5/cgi/snap.cgi?picName=A1",
            "http://10.0.0.5/p.jpg?Password=x&TOKEN=y | http://10.0.0.5/p.jpg",
            "https://u@cam.example:8443/p.jpg#frag | https://cam.example:8443/p.jpg",
            "http://10.0.0.5/a@b/p.jpg?id=7 | http://10.0.0.5/a@b/p.jpg?id=7",
            "http://10.0.0.5/p.jpg | http://10.0.0.5/p.jpg",
            "http://10.0.0.5?key | http://10.0.0.5",
    })
    void credentialsNeverStayInAStoredPictureUrl(String given, String kept) {
        assertThat(ImageUrls.withoutCredentials(given)).isEqualTo(kept);
    }
}
